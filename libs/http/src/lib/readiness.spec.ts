import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readiness, type ReadinessCheck } from '@concurrency-lab/lifecycle';
import { captureLogs } from '@concurrency-lab/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceApp, finishApp } from './create-app.js';
import { closeHttpServer, startHttpServer } from './server.js';

/** A check the test steers: it answers what `next` says, and counts how often it ran. */
class SteeredCheck implements ReadinessCheck {
  runs = 0;
  next: () => Promise<Record<string, unknown> | void> = () => Promise.resolve({ detail: this.name });
  constructor(
    readonly name: string,
    readonly cacheMs?: number,
  ) {}
  run(): Promise<Record<string, unknown> | void> {
    this.runs++;
    return this.next();
  }
}
const steeredCheck = (name: string, options: { cacheMs?: number } = {}) => new SteeredCheck(name, options.cacheMs);

describe('GET /readyz', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await closeHttpServer(server);
    server = undefined;
  });

  const serve = async (readiness: Readiness) => {
    const { logger, lines } = captureLogs('spec');
    server = await startHttpServer(finishApp(createServiceApp({ logger, service: 'spec', readiness })), {
      host: '127.0.0.1',
      port: 0,
      logger,
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const probe = async (): Promise<{ status: number; type: string; body: any }> => {
      const response = await fetch(`${base}/readyz`);
      return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.json() };
    };
    return { probe, lines, base };
  };

  it('answers 200 ready with every check, its details and the shutdown check', async () => {
    const { probe } = await serve(new Readiness([steeredCheck('nats'), steeredCheck('streams')]));
    const { status, body } = await probe();
    expect(status).toBe(200);
    expect(body).toEqual({
      status: 'ready',
      checks: { nats: { status: 'ok', detail: 'nats' }, streams: { status: 'ok', detail: 'streams' }, shutdown: { status: 'ok' } },
    });
  });

  it('answers 503 problem+json naming the failing check and its reason', async () => {
    const streams = steeredCheck('streams');
    streams.next = () => Promise.reject(new Error('stream LAB_QUEUE not found'));
    const { probe } = await serve(new Readiness([steeredCheck('nats'), streams]));
    const { status, type, body } = await probe();
    expect(status).toBe(503);
    expect(type).toContain('application/problem+json');
    expect(body).toMatchObject({
      status: 503,
      title: 'Not ready',
      detail: 'streams: stream LAB_QUEUE not found',
      failing: ['streams'],
      checks: { nats: { status: 'ok' }, streams: { status: 'failed', reason: 'stream LAB_QUEUE not found' } },
    });
  });

  it('fails a check that does not answer within its timeout, and aborts it', async () => {
    let aborted = false;
    const hanging: ReadinessCheck = {
      name: 'slow',
      timeoutMs: 100,
      run: (signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => (aborted = true));
        }),
    };
    const { probe } = await serve(new Readiness([hanging]));
    const started = performance.now();
    const { status, body } = await probe();
    expect(status).toBe(503);
    expect(body.checks.slow).toEqual({ status: 'failed', reason: 'no answer within 100 ms' });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(aborted).toBe(true);
  });

  it('reuses an answer for cacheMs, and probes that arrive together share one run', async () => {
    const cached = steeredCheck('streams', { cacheMs: 60_000 });
    let release: () => void = () => undefined;
    cached.next = () => new Promise((resolve) => (release = () => resolve({})));
    const uncached = steeredCheck('nats');
    const { probe } = await serve(new Readiness([uncached, cached]));
    const together = Promise.all([probe(), probe(), probe()]);
    await expect.poll(() => uncached.runs).toBe(3); // all three probes are in, waiting on the one run of the cached check
    release();
    expect((await together).map((answer) => answer.status)).toEqual([200, 200, 200]);
    await probe();
    expect(cached.runs).toBe(1);
    expect(uncached.runs).toBe(4);
  });

  it('answers 503 naming shutdown once shutting down, without running the checks', async () => {
    const nats = steeredCheck('nats');
    const readiness = new Readiness([nats]);
    const { probe } = await serve(readiness);
    expect((await probe()).status).toBe(200);
    readiness.shutDown();
    const { status, body } = await probe();
    expect(status).toBe(503);
    expect(body).toMatchObject({ failing: ['shutdown'], detail: 'shutdown: the service is shutting down' });
    expect(nats.runs).toBe(1);
  });

  it('is answered before request logging, like /healthz, and no one caches it', async () => {
    const { base, lines } = await serve(new Readiness([steeredCheck('nats')]));
    const response = await fetch(`${base}/readyz`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    await fetch(`${base}/nowhere`); // logged: the line that proves the log is being written
    await expect.poll(() => lines.some((line) => line['req'] !== undefined)).toBe(true);
    expect(lines.filter((line) => JSON.stringify(line['req'] ?? '').includes('/readyz'))).toEqual([]);
  });

  it('refuses two checks of one name, or one named shutdown', () => {
    expect(() => new Readiness([steeredCheck('nats'), steeredCheck('nats')])).toThrow(/"nats"/);
    expect(() => new Readiness([steeredCheck('shutdown')])).toThrow(/"shutdown"/);
  });
});
