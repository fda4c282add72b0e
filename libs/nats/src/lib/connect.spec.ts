import { captureLogs, freePort, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectToNats, drainNats } from './connect.js';

const REFUSED = 'NATS refused the credentials (check NATS_USER and NATS_PASSWORD); retrying';

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

describe('connectToNats with a user and password', () => {
  const servers = new Set<ChildProcess>();
  /** nats-server on a given port that takes one user, spec, with this password. */
  const serve = (port: number, pass: string) => {
    const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '--user', 'spec', '--pass', pass], { stdio: 'ignore' });
    servers.add(child);
    return child;
  };
  const stop = async (child: ChildProcess) => {
    servers.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  afterEach(async () => {
    await Promise.all([...servers].map(stop));
  });
  const refusals = (lines: Record<string, unknown>[]) => lines.filter((line) => line['msg'] === REFUSED);

  it('connects as the user', async () => {
    const server = await startNatsServer({ extraArgs: ['--user', 'spec', '--pass', 'right'] });
    try {
      const { logger, lines } = captureLogs('test', 'debug');
      const nc = await connectToNats({ servers: server.url, name: 'auth', user: 'spec', pass: 'right', logger });
      expect(nc.info?.auth_required).toBe(true);
      expect(lines.find((line) => line['msg'] === 'connected to NATS')).toMatchObject({ user: 'spec' });
      await drainNats(nc, logger);
    } finally {
      await server.stop();
    }
  });

  it('logs every refused first attempt as an error naming the user, and connects once the server takes the password', async () => {
    const { logger, lines, waitForLine } = captureLogs('test', 'debug');
    const port = await freePort();
    const wrong = serve(port, 'another-password');
    const connecting = connectToNats({
      servers: `nats://127.0.0.1:${port}`,
      name: 'auth',
      user: 'spec',
      pass: 'right',
      logger,
      reconnectTimeWaitMs: 50,
    });
    // Two in a row: one refusal logged, then another, not a single line and silence.
    await waitForLine(() => refusals(lines).length >= 2);
    for (const refusal of refusals(lines)) {
      expect(refusal).toMatchObject({ level: 'error', user: 'spec', reason: expect.stringMatching(/Authorization Violation/i) });
    }

    await stop(wrong);
    serve(port, 'right');
    const nc = await connecting;
    expect(nc.isClosed()).toBe(false);
    expect(refusals(lines).length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(lines), 'the password is never logged').not.toContain('right"');
    await drainNats(nc, logger);
  });

  it('keeps reconnecting when a restarted server refuses the password, logging each refusal', async () => {
    const { logger, lines, waitForLine } = captureLogs('test', 'debug');
    const port = await freePort();
    const first = serve(port, 'right');
    const nc = await connectToNats({
      servers: `nats://127.0.0.1:${port}`,
      name: 'auth',
      user: 'spec',
      pass: 'right',
      logger,
      reconnectTimeWaitMs: 50,
    });

    await stop(first);
    const changed = serve(port, 'changed-password');
    await waitForLine((line) => line['msg'] === 'disconnected from NATS');
    // nats.js would give up after two refusals in a row; two more prove it goes on.
    const before = refusals(lines).length;
    await waitForLine(() => refusals(lines).length >= before + 3);
    expect(refusals(lines).at(-1)).toMatchObject({ level: 'error', user: 'spec' });
    expect(nc.isClosed()).toBe(false);

    await stop(changed);
    serve(port, 'right');
    await waitForLine((line) => line['msg'] === 'reconnected to NATS');
    await nc.flush();
    await drainNats(nc, logger);
  });

  it('stops waiting for the first connection when told to', async () => {
    const { logger, waitForLine } = captureLogs('test', 'debug');
    const controller = new AbortController();
    const connecting = connectToNats({
      servers: `nats://127.0.0.1:${await freePort()}`,
      name: 'abort',
      logger,
      reconnectTimeWaitMs: 50,
      signal: controller.signal,
    });
    await waitForLine((line) => line['msg'] === 'NATS not reachable yet; retrying');
    controller.abort(new Error('shutting down'));
    await expect(connecting).rejects.toThrow('shutting down');
  });
});
