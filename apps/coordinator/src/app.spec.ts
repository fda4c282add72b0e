import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { closeHttpServer, startHttpServer } from '@concurrency-lab/http';
import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats, type NatsConnection } from '@concurrency-lab/nats';
import { openQueue } from '@concurrency-lab/queue';
import { SimulationEngine, SimulationRuns } from '@concurrency-lab/simulation';
import { SIMULATION_API_LIMITS as SIMULATION_LIMITS } from './simulation-api.js';
import { findElements, nodeChildPids, parseXml, startNatsServer, type NatsServerHandle, type XmlElement } from '@concurrency-lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoordinatorApp } from './app.js';
import { PAGE_CSP } from './routes/page.js';

const logger = createLogger({ service: 'coordinator', destination: new PassThrough() });

/** Reads a server-sent event stream to its end. */
async function readEvents(url: string): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const response = await fetch(url);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) };
    });
}

describe('coordinator routes', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let engine: SimulationEngine;
  let runs: SimulationRuns;
  let server: Server;
  let base: string;
  const shutdown = new AbortController();

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectToNats({ servers: nats.url, name: 'coordinator-spec', logger });
    engine = SimulationEngine.start({ logger, poolSize: 1, calibration: { iterationsPerMs: 100_000, tookMs: 0, calibratedAt: '' } });
    runs = new SimulationRuns(engine, logger);
    const queue = await openQueue(nc, 'coordinator');
    const app = createCoordinatorApp({ config: { QUEUE_RUN_TIMEOUT_MS: 5_000 }, logger, nc, queue, runs, shutdown: shutdown.signal });
    server = await startHttpServer(app, { host: '127.0.0.1', port: 0, logger });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await runs?.cancelAll('spec over');
    await engine?.close();
    await closeHttpServer(server);
    await drainNats(nc, logger);
    await nats?.stop();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers a run that ends within waitMs with 201, its Location and the report', async () => {
    const response = await post('/simulations', { mode: 'async', tasks: [{ name: 'a', durationMs: 20 }] });
    expect(response.status).toBe(201);
    const report = (await response.json()) as { runId: string; mode: string; totalMs: number };
    expect(response.headers.get('location')).toBe(`/simulations/${report.runId}`);
    expect(report.mode).toBe('async');
    const view = (await (await fetch(`${base}/simulations/${report.runId}`)).json()) as { status: string; report: unknown };
    expect(view).toMatchObject({ status: 'finished', report });
  });

  it('answers a longer run with 202 and streams its events to the end', async () => {
    const response = await post('/simulations', {
      mode: 'compare',
      modes: ['sequential', 'pool'],
      count: 2,
      minMs: 100,
      maxMs: 100,
      waitMs: 0,
    });
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { id: string; status: string; links: { events: string } };
    expect(accepted.status).toBe('running');
    expect(response.headers.get('location')).toBe(`/simulations/${accepted.id}`);
    const events = await readEvents(`${base}${accepted.links.events}`);
    expect(events.filter((e) => e.event === 'task-started')).toHaveLength(4);
    expect(events.filter((e) => e.event === 'task-finished')).toHaveLength(4);
    expect(events.at(-1)?.event).toBe('run-finished');
    const view = (await (await fetch(`${base}/simulations/${accepted.id}`)).json()) as { status: string; report: { table: unknown[] } };
    expect(view.status).toBe('finished');
    expect(view.report.table).toHaveLength(2);
    const list = (await (await fetch(`${base}/simulations`)).json()) as {
      runs: { id: string }[];
      engine: { poolSize: number; calibration: object };
    };
    expect(list.runs[0]?.id).toBe(accepted.id);
    expect(list.engine).toMatchObject({ poolSize: 1, calibration: { iterationsPerMs: 100_000 } });
  });

  it('cancels a running simulation with DELETE, ending its processes; a second DELETE is a 409', async () => {
    const response = await post('/simulations', { mode: 'processes', tasks: [{ name: 'long', durationMs: 30_000 }], waitMs: 0 });
    const { id } = (await response.json()) as { id: string };
    await expect.poll(() => nodeChildPids().length, { timeout: 10_000 }).toBe(engine.poolPids.length + 1);
    const cancelled = await fetch(`${base}/simulations/${id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ id, status: 'cancelled' });
    await expect.poll(() => nodeChildPids().length, { timeout: 5_000 }).toBe(engine.poolPids.length);
    expect((await fetch(`${base}/simulations/${id}`, { method: 'DELETE' })).status).toBe(409);
  });

  it('refuses a body over the limit with 413, before reading it', async () => {
    const tasks = Array.from({ length: 1_000 }, (_, i) => ({ name: `${'x'.repeat(1_600)}${i}`, durationMs: 1 }));
    const response = await post('/simulations', { mode: 'async', tasks });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it(`refuses more than ${SIMULATION_LIMITS.maxEventStreams} event streams at once`, async () => {
    const response = await post('/simulations', { mode: 'async', tasks: [{ name: 'hold', durationMs: 30_000 }], waitMs: 0 });
    const { id } = (await response.json()) as { id: string };
    const controllers = Array.from({ length: SIMULATION_LIMITS.maxEventStreams }, () => new AbortController());
    const open = await Promise.all(
      controllers.map((controller) => fetch(`${base}/simulations/${id}/events`, { signal: controller.signal })),
    );
    expect(open.every((stream) => stream.status === 200)).toBe(true);
    const refused = await fetch(`${base}/simulations/${id}/events`);
    expect(refused.status).toBe(429);
    for (const controller of controllers) controller.abort();
    await fetch(`${base}/simulations/${id}`, { method: 'DELETE' });
  });

  it('answers an unknown or malformed run id with 404 problem+json', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-run', '..%2F..%2Fetc']) {
      for (const path of [`/simulations/${id}`, `/queue-runs/${id}`]) {
        const response = await fetch(`${base}${path}`);
        expect(response.status, path).toBe(404);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
    }
  });

  const barsByMode = (svg: XmlElement) => {
    const counts: Record<string, number> = {};
    for (const bar of findElements(svg, (e) => e.attributes['class'] === 'bar'))
      counts[bar.attributes['data-mode']!] = (counts[bar.attributes['data-mode']!] ?? 0) + 1;
    return counts;
  };

  it('draws a finished simulation as an SVG Gantt chart: a bar per task per mode, names escaped', async () => {
    const tasks = [
      { name: '<b>"a" & b</b>', durationMs: 20 },
      { name: 'c', durationMs: 30 },
    ];
    const response = await post('/simulations', { mode: 'compare', modes: ['sequential', 'async'], tasks });
    const { runId } = (await response.json()) as { runId: string };
    const chart = await fetch(`${base}/simulations/${runId}/timeline.svg`);
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(chart.headers.get('content-security-policy')).toContain("default-src 'none'");
    const text = await chart.text();
    expect(text).not.toContain('<b>');
    const svg = parseXml(text);
    expect(svg.attributes).toMatchObject({ 'data-chart': 'simulation', 'data-status': 'finished', 'data-run-id': runId });
    expect(barsByMode(svg)).toEqual({ sequential: 2, async: 2 });
    const names = findElements(svg, (e) => e.attributes['data-mode'] === 'async' && e.name === 'rect').map(
      (bar) => bar.attributes['data-name'],
    );
    expect(names).toEqual(['<b>"a" & b</b>', 'c']);
  });

  it('draws a running simulation as far as it has got, and answers 409 once it is cancelled', async () => {
    const response = await post('/simulations', {
      mode: 'async',
      tasks: [
        { name: 'held', durationMs: 30_000 },
        { name: 'quick', durationMs: 0 },
      ],
      waitMs: 0,
    });
    const { id } = (await response.json()) as { id: string };
    await new Promise<void>((resolve) => {
      const stop = runs.watch(id, (event) => {
        if (event.type !== 'task-finished') return;
        resolve();
        queueMicrotask(() => stop?.());
      });
    });
    const svg = parseXml(await (await fetch(`${base}/simulations/${id}/timeline.svg`)).text());
    expect(svg.attributes['data-status']).toBe('running');
    const bars = findElements(svg, (e) => e.attributes['class'] === 'bar');
    expect(bars.map((bar) => bar.attributes['data-name'])).toEqual(['held', 'quick']);
    expect(bars[0]?.attributes['data-state']).toBe('running');
    await fetch(`${base}/simulations/${id}`, { method: 'DELETE' });
    const cancelled = await fetch(`${base}/simulations/${id}/timeline.svg`);
    expect(cancelled.status).toBe(409);
    expect(cancelled.headers.get('content-type')).toContain('application/problem+json');
    expect(await cancelled.json()).toMatchObject({ status: 409, runStatus: 'cancelled' });
  });

  it('answers the timeline of an unknown simulation or queue run with 404 problem+json', async () => {
    for (const path of [
      '/simulations/00000000-0000-0000-0000-000000000000/timeline.svg',
      '/simulations/not-a-run/timeline.svg',
      '/queue-runs/00000000-0000-0000-0000-000000000000/timeline.svg',
      '/queue-runs/not-a-run/timeline.svg',
    ]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('serves the web page, its module script and stylesheet, with a strict content security policy', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/page/page.js"></script>');
    // No inline script or style, which the policy would block: every script has a src, no style attribute or element.
    expect([...html.matchAll(/<script\b[^>]*>/g)].every((tag) => / src="/.test(tag[0]))).toBe(true);
    expect(html).not.toMatch(/<style\b| style="/);
    const script = await fetch(`${base}/page/page.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("addEventListener('submit'");
    expect((await fetch(`${base}/page/page.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    for (const path of ['/page/', '/page/index.html', '/page/%2e%2e/app.ts', '/page/..%2fapp.ts']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
  });

  it('names the field when the drawn tasks exceed the total limit', async () => {
    const response = await post('/simulations', { mode: 'sequential', count: 200, minMs: 1_000, maxMs: 1_000 });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ invalidParams: [{ name: 'count' }] });
  });

  it('names items when a valid queue run is larger than one NATS message can carry', async () => {
    const items = Array.from({ length: 1_200 }, (_, i) => `${'x'.repeat(1_000)}${i}`.slice(0, 1_000));
    const response = await post('/queue-runs', { items, writeDelayMs: 0, readDelayMs: 0 });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ invalidParams: [{ name: 'items' }] });
  });

  it('answers a queue run with 503 problem+json when no writer is running', async () => {
    const response = await post('/queue-runs', { items: ['x'], writeDelayMs: 0, readDelayMs: 0 });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ failure: 'writer-unavailable', items: 1, read: 0 });
  });

  it('answers a distributed simulation with 503 problem+json naming the downloader when it cannot hand tasks out, starting no run', async () => {
    const before = ((await (await fetch(`${base}/simulations`)).json()) as { runs: unknown[] }).runs.length;
    const response = await post('/simulations', { mode: 'distributed', count: 2 });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ status: 503, title: 'Mode unavailable', mode: 'distributed', missing: 'downloader' });
    expect(((await (await fetch(`${base}/simulations`)).json()) as { runs: unknown[] }).runs).toHaveLength(before);
  });

  it(`refuses a simulation past ${SIMULATION_LIMITS.maxRunsInFlight} in flight with 429 and Retry-After`, async () => {
    const hold = { mode: 'async', tasks: [{ name: 'hold', durationMs: 30_000 }], waitMs: 0 };
    const held = await Promise.all(Array.from({ length: SIMULATION_LIMITS.maxRunsInFlight }, () => post('/simulations', hold)));
    expect(held.map((response) => response.status)).toEqual(Array(SIMULATION_LIMITS.maxRunsInFlight).fill(202));
    const refused = await post('/simulations', { mode: 'async', tasks: [{ name: 'extra', durationMs: 0 }] });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    for (const response of held) {
      const { id } = (await response.json()) as { id: string };
      await fetch(`${base}/simulations/${id}`, { method: 'DELETE' });
    }
    expect((await post('/simulations', { mode: 'async', tasks: [{ name: 'after', durationMs: 0 }] })).status).toBe(201);
  });

  it('answers a running simulation with 503 when the coordinator shuts down, killing its processes', async () => {
    const running = post('/simulations', {
      mode: 'processes',
      tasks: [
        { name: 'long', durationMs: 30_000 },
        { name: 'longer', durationMs: 30_000 },
      ],
    });
    await expect.poll(() => nodeChildPids().length, { timeout: 10_000 }).toBe(engine.poolPids.length + 2);
    shutdown.abort();
    await runs.cancelAll('coordinator shutting down');
    const response = await running;
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ title: 'Shutting down' });
    await expect.poll(() => nodeChildPids().length, { timeout: 5_000 }).toBe(engine.poolPids.length);
  });
});
