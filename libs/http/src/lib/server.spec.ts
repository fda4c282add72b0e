import type { AddressInfo } from 'node:net';
import { captureLogs } from '@concurrency-lab/testing';
import { describe, expect, it } from 'vitest';
import { createServiceApp, finishApp } from './create-app.js';
import { closeHttpServer, startHttpServer, startServiceServer } from './server.js';

/** Node keeps an idle keep-alive connection this long by default; a close must not wait for it. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

async function serve() {
  const { logger } = captureLogs('spec');
  const app = createServiceApp({ logger, service: 'spec' });
  let markArrived: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (markArrived = resolve));
  let finish: () => void = () => undefined;
  app.get('/slow', (_request, response) => {
    finish = () => response.json({ done: true });
    markArrived();
  });
  const server = await startHttpServer(finishApp(app), { host: '127.0.0.1', port: 0, logger });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrived, finish: () => finish() };
}

describe('closeHttpServer', () => {
  it('ends once the request in flight is answered, not a keep-alive timeout later', async () => {
    const { server, base, arrived, finish } = await serve();
    await fetch(`${base}/healthz`); // a keep-alive connection, as a client's would be
    const slow = fetch(`${base}/slow`);
    await arrived;
    const started = performance.now();
    const closing = closeHttpServer(server);
    finish();
    const response = await slow;
    expect(await response.json()).toEqual({ done: true });
    await closing;
    expect(performance.now() - started).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS / 2);
  });

  it('ends though a client keeps its keep-alive connection busy', async () => {
    const { logger } = captureLogs('spec');
    const app = createServiceApp({ logger, service: 'spec' });
    let markBusy: () => void = () => undefined;
    const busy = new Promise<void>((resolve) => (markBusy = resolve));
    // Each answer takes a moment, and the client asks again at once: its connection is never idle.
    app.get('/poll', (_request, response) => {
      markBusy();
      setTimeout(() => response.json({ ok: true }), 5);
    });
    const server = await startHttpServer(finishApp(app), { host: '127.0.0.1', port: 0, logger });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/poll`;
    let closed = false;
    const polling = (async () => {
      while (!closed)
        await fetch(url).then(
          (response) => response.json(),
          () => undefined,
        );
    })();
    await busy;
    const started = performance.now();
    await closeHttpServer(server);
    closed = true;
    expect(performance.now() - started).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS / 2);
    await polling;
  });
});

describe('startServiceServer', () => {
  it('serves /healthz naming the service, and nothing else', async () => {
    const { logger } = captureLogs('spec');
    const server = await startServiceServer({ logger, service: 'spec-service', host: '127.0.0.1', port: 0 });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ service: 'spec-service' });
      expect((await fetch(`${base}/runs`)).status).toBe(404);
    } finally {
      await closeHttpServer(server);
    }
  });
});
