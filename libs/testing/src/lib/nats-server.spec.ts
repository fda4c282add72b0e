import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';

function accepts(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('startNatsServer', () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('listens on a loopback port with a temporary JetStream store', async () => {
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(await accepts(server.port)).toBe(true);
    expect(existsSync(server.storeDir)).toBe(true);
  });

  it('restarts on the same port', async () => {
    const before = server.pid;
    await server.restart();
    expect(server.pid).not.toBe(before);
    expect(await accepts(server.port)).toBe(true);
  });

  it('reports a server that cannot start at once, with its output', async () => {
    const started = Date.now();
    await expect(startNatsServer({ extraArgs: ['--no-such-flag'] })).rejects.toThrow(/exited early/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stop() closes the port and removes the store', async () => {
    const other = await startNatsServer();
    await other.stop();
    expect(await accepts(other.port)).toBe(false);
    expect(existsSync(other.storeDir)).toBe(false);
  });
});
