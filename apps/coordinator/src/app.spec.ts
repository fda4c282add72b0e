import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer, startHttpServer } from '@concurrency-lab/http';
import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats, type NatsConnection } from '@concurrency-lab/nats';
import { SIMULATION_LIMITS } from '@concurrency-lab/simulation';
import { startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoordinatorApp } from './app.js';

const logLines: Record<string, unknown>[] = [];
const destination = new PassThrough();
destination.on('data', (chunk: Buffer) => {
  for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
});
const logger = createLogger({ service: 'coordinator', destination });

/** Pids of this process's living node children: the task processes (nats-server and ps are not node). */
function childPids(): number[] {
  return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, command]) => pid && command === 'node')
    .map(([pid]) => Number(pid));
}

describe('coordinator routes', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let server: Server;
  let base: string;
  const shutdown = new AbortController();

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectToNats({ servers: nats.url, name: 'coordinator-spec', logger });
    const app = createCoordinatorApp({ config: { QUEUE_RUN_TIMEOUT_MS: 5_000 }, logger, nc, shutdown: shutdown.signal });
    server = await startHttpServer(app, { host: '127.0.0.1', port: 0, logger });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await closeHttpServer(server);
    await drainNats(nc, logger);
    await nats?.stop();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers a queue run with 503 problem+json when no writer is running', async () => {
    const response = await post('/queue-runs', { items: ['x'], writeDelayMs: 0, readDelayMs: 0 });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ failure: 'writer-unavailable', items: 1, read: 0 });
  });

  it(`refuses a simulation past ${SIMULATION_LIMITS.maxRunsInFlight} in flight with 429 and Retry-After`, async () => {
    const slow = { mode: 'sequential', tasks: [{ name: 'slow', durationMs: 1_500 }] };
    const running = Array.from({ length: SIMULATION_LIMITS.maxRunsInFlight }, () => post('/simulations', slow));
    // Each admitted run logs "run started"; poll the routes' effect instead: a fifth request is refused.
    await expect
      .poll(async () => {
        const refused = await post('/simulations', { mode: 'sequential', tasks: [{ name: 'extra', durationMs: 0 }] });
        return refused.status === 429 ? refused.headers.get('retry-after') : refused.status;
      })
      .toBe('5');
    const statuses = (await Promise.all(running)).map((response) => response.status);
    expect(statuses).toEqual(Array(SIMULATION_LIMITS.maxRunsInFlight).fill(200));
    // Capacity is given back once they finish.
    expect((await post('/simulations', { mode: 'sequential', tasks: [{ name: 'after', durationMs: 0 }] })).status).toBe(200);
  });

  it('answers a running simulation with 503 when the coordinator shuts down, killing its processes', async () => {
    const running = post('/simulations', { mode: 'parallel', tasks: [{ name: 'long', durationMs: 30_000 }, { name: 'longer', durationMs: 30_000 }] });
    await expect.poll(() => childPids().length, { timeout: 10_000 }).toBe(2);
    shutdown.abort();
    const response = await running;
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ title: 'Shutting down' });
    await expect.poll(() => childPids().length, { timeout: 5_000 }).toBe(0);
    expect(logLines.some((line) => line['msg'] === 'run started' && line['mode'] === 'parallel')).toBe(true);
  });
});
