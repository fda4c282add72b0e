import { createLogger } from '@concurrency-lab/logger';
import { waitFor } from '@concurrency-lab/testing';
import { Router } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp, finishApp } from './create-app.js';
import { REQUEST_DURATION_BUCKETS, REQUEST_DURATION_METRIC } from './request-duration.js';
import { UNMATCHED_ROUTE } from './route-template.js';
import { closeHttpServer, startHttpServer } from './server.js';
import { parseBody } from './validate.js';

const logger = createLogger({ service: 'spec', destination: new PassThrough() });

/** What libs/metrics' metricsHandler is: GET /metrics in the text format, naming its registry. */
function metricsEndpoint(registry: Registry) {
  const handler = (_request: IncomingMessage, response: ServerResponse) => {
    void registry.metrics().then((text) => {
      response.writeHead(200, { 'content-type': registry.contentType });
      response.end(text);
    });
  };
  return Object.assign(handler, { registry });
}

type Labels = Record<string, string>;

/** The value of the sample of `name` whose labels include all of `labels`, in Prometheus's text format. */
function sampleOf(text: string, name: string, labels: Labels): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** One series of the histogram: its method, route and status. */
const series = (method: string, route: string, status: number): Labels => ({ method, route, status_code: String(status), service: 'spec' });

/** How long the slow route takes: its requests must land in the histogram with at least this much. */
const SLOW_MS = 30;

describe('http_request_duration_seconds', () => {
  let server: Server;
  let base: string;
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'spec' });

  beforeAll(async () => {
    const app = createServiceApp({ logger, service: 'spec', metrics: metricsEndpoint(registry) });
    const orders = Router();
    orders.get('/orders/:id', (request, response) => {
      response.json({ id: request.params['id'] });
    });
    orders.post('/orders', (request, response) => {
      response.status(201).json(parseBody(z.strictObject({ qty: z.number() }), request.body));
    });
    orders.get('/slow', async (_request, response) => {
      await sleep(SLOW_MS);
      response.json({ slow: true });
    });
    app.use(orders);
    finishApp(app);
    server = await startHttpServer(app, { host: '127.0.0.1', port: 0, logger });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await closeHttpServer(server);
  });

  const scrape = async () => (await fetch(`${base}/metrics`)).text();
  /** Waits for a sample to reach a value: the histogram is written when the response has finished, which may be just after the client read it. */
  const countReaches = (labels: Labels, atLeast: number) =>
    waitFor(
      `${JSON.stringify(labels)} counted ${atLeast} times`,
      async () => {
        const value = sampleOf(await scrape(), `${REQUEST_DURATION_METRIC}_count`, labels);
        return value !== undefined && value >= atLeast ? value : undefined;
      },
      { timeoutMs: 3_000 },
    );
  const sumOf = async (labels: Labels) => sampleOf(await scrape(), `${REQUEST_DURATION_METRIC}_sum`, labels) ?? 0;

  it('labels a request by its route template, not its path, and counts each one', async () => {
    for (const id of ['1', '22', 'abc']) expect((await fetch(`${base}/orders/${id}`)).status).toBe(200);
    expect(await countReaches(series('GET', '/orders/:id', 200), 3)).toBe(3);
    const text = await scrape();
    expect(text).not.toMatch(/route="\/orders\/(1|22|abc)"/);
    expect(text).toContain(`# TYPE ${REQUEST_DURATION_METRIC} histogram`);
    expect(sampleOf(text, `${REQUEST_DURATION_METRIC}_bucket`, { ...series('GET', '/orders/:id', 200), le: '+Inf' })).toBe(3);
  });

  it('puts every path no route answers under one fixed label, whatever the path', async () => {
    const before = sampleOf(await scrape(), `${REQUEST_DURATION_METRIC}_count`, series('GET', UNMATCHED_ROUTE, 404)) ?? 0;
    const paths = Array.from({ length: 20 }, (_, index) => `/scan/${index}/${Math.random().toString(36).slice(2)}`);
    for (const path of paths) expect((await fetch(`${base}${path}`)).status).toBe(404);
    expect(await countReaches(series('GET', UNMATCHED_ROUTE, 404), before + paths.length)).toBe(before + paths.length);
    const routes = new Set([...(await scrape()).matchAll(/route="([^"]*)"/g)].map((match) => match[1]));
    expect([...routes].sort()).toEqual(['/metrics', '/orders/:id', UNMATCHED_ROUTE].sort());
  });

  it('labels the status a route answered, errors included', async () => {
    const bad = await fetch(`${base}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"qty":"x"}' });
    expect(bad.status).toBe(400);
    const good = await fetch(`${base}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"qty":1}' });
    expect(good.status).toBe(201);
    expect(await countReaches(series('POST', '/orders', 400), 1)).toBe(1);
    expect(await countReaches(series('POST', '/orders', 201), 1)).toBe(1);
  });

  it('moves the count and the sum by the time each request took', async () => {
    const slow = series('GET', '/slow', 200);
    await fetch(`${base}/slow`);
    await countReaches(slow, 1);
    const firstSum = await sumOf(slow);
    expect(firstSum).toBeGreaterThanOrEqual(SLOW_MS / 1000 - 0.002);
    await fetch(`${base}/slow`);
    expect(await countReaches(slow, 2)).toBe(2);
    const secondSum = await sumOf(slow);
    expect(secondSum - firstSum).toBeGreaterThanOrEqual(SLOW_MS / 1000 - 0.002);
    // Below the 25 ms bound nothing of the slow route; at 60 s and +Inf both requests.
    const text = await scrape();
    const bucket = (le: string) => sampleOf(text, `${REQUEST_DURATION_METRIC}_bucket`, { ...slow, le });
    expect(bucket('0.025')).toBe(0);
    expect(bucket('60')).toBe(2);
    expect(bucket('+Inf')).toBe(2);
  });

  it('times health checks and scrapes too, with buckets from half a millisecond to a minute', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await countReaches(series('GET', '/healthz', 200), 1)).toBeGreaterThanOrEqual(1);
    expect(await countReaches(series('GET', '/metrics', 200), 1)).toBeGreaterThanOrEqual(1);
    expect(REQUEST_DURATION_BUCKETS[0]).toBe(0.0005);
    expect(REQUEST_DURATION_BUCKETS.at(-1)).toBe(60);
    expect(REQUEST_DURATION_BUCKETS).toContain(20);
  });

  it('lets a second app share the registry, counting into the same histogram', () => {
    expect(() => createServiceApp({ logger, service: 'spec', metrics: metricsEndpoint(registry) })).not.toThrow();
    expect(registry.getMetricsAsArray().filter((metric) => metric.name === REQUEST_DURATION_METRIC)).toHaveLength(1);
  });
});
