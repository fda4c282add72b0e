import { captureLogs, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToNats, drainNats } from './connect.js';
import { connectionStateOf } from './connection-state.js';
import { natsConnectionCheck } from './readiness.js';

const never = new AbortController().signal;

describe('natsConnectionCheck', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  const { logger, waitForLine } = captureLogs('spec', 'debug');
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ servers: server.url, name: 'readiness-spec', logger, reconnectTimeWaitMs: 50 });
  });
  afterAll(async () => {
    await drainNats(nc, logger);
    await server?.stop();
  });

  it('passes while connected, naming the server', async () => {
    const check = natsConnectionCheck(nc);
    expect(check.name).toBe('nats');
    expect(check.cacheMs ?? 0).toBe(0); // the client's own state: free to ask, and a lost connection shows at once
    expect(await check.run(never)).toEqual({ server: `127.0.0.1:${server.port}` });
  });

  it('fails while nats-server is down, and passes again once the client has reconnected', async () => {
    const check = natsConnectionCheck(nc);
    await server.kill();
    await waitForLine((line) => line.msg === 'disconnected from NATS');
    await expect.poll(() => connectionStateOf(nc)).toBe('reconnecting');
    await expect(check.run(never)).rejects.toThrow('disconnected from NATS; reconnecting');
    await server.restart();
    await waitForLine((line) => line.msg === 'reconnected to NATS');
    await expect.poll(() => connectionStateOf(nc)).toBe('connected');
    expect(await check.run(never)).toEqual({ server: `127.0.0.1:${server.port}` });
  });

  it('fails while the connection drains and once it is closed', async () => {
    const other = await connectToNats({ servers: server.url, name: 'drained', logger });
    const check = natsConnectionCheck(other);
    // A subscription keeps the drain going for a moment; its state is read while it does.
    other.subscribe('spec.readiness');
    const draining = other.drain();
    expect(connectionStateOf(other)).toBe('draining');
    await expect(check.run(never)).rejects.toThrow('draining');
    await draining;
    expect(connectionStateOf(other)).toBe('closed');
    await expect(check.run(never)).rejects.toThrow('closed');
  });
});
