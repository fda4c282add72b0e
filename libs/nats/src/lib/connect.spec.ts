import { captureLogs, freePort, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToNats, drainNats } from './connect.js';

describe('connectToNats', () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('connects, carries messages and drains', async () => {
    const { logger } = captureLogs('test', 'debug');
    const nc = await connectToNats({ servers: server.url, name: 'spec', logger });
    const sub = nc.subscribe('spec.echo', { max: 1 });
    nc.publish('spec.echo', 'hello');
    for await (const msg of sub) expect(msg.string()).toBe('hello');
    await drainNats(nc, logger);
    expect(nc.isClosed()).toBe(true);
    await drainNats(nc, logger); // a second drain is harmless
  });

  it('waits for a server that starts after the first attempt', async () => {
    const { logger } = captureLogs('test', 'debug');
    const port = await freePort();
    const connecting = connectToNats({
      servers: `nats://127.0.0.1:${port}`,
      name: 'late',
      logger,
      reconnectTimeWaitMs: 50,
    });
    // Start the server only once the client has begun trying.
    const late = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    try {
      const nc = await connecting;
      expect(nc.getServer()).toContain(String(port));
      await drainNats(nc, logger);
    } finally {
      late.kill('SIGTERM');
    }
  });

  it('reconnects after the server restarts and logs both sides', async () => {
    const { logger, lines } = captureLogs('test', 'debug');
    const nc = await connectToNats({ servers: server.url, name: 'restart', logger, reconnectTimeWaitMs: 50 });
    const statuses = nc.status();
    await server.restart();
    for await (const status of statuses) if (status.type === 'reconnect') break;
    await nc.flush();
    const messages = lines.map((line) => line['msg']);
    expect(messages).toContain('disconnected from NATS');
    expect(messages).toContain('reconnected to NATS');
    await drainNats(nc, logger);
  });
});
