import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, metricsHandler } from './registry.js';

describe('metrics', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it("labels every sample with the service and includes Node's process metrics", async () => {
    const text = await createMetricsRegistry('writer').metrics();
    expect(text).toContain('process_cpu_user_seconds_total{service="writer"}');
    expect(text).toMatch(/nodejs_eventloop_lag_seconds\{service="writer"\}/);
  });

  it('serves the text format over HTTP, and 503 without internals when a collector fails', async () => {
    const registry = createMetricsRegistry('reader');
    let failing = false;
    new Counter({ name: 'lab_spec_items_total', help: 'Items the spec counted.', registers: [registry] }).inc();
    new Gauge({
      name: 'lab_spec_lag',
      help: 'Asked of something that may fail when scraped.',
      registers: [registry],
      collect() {
        if (failing) throw new Error('secret internal detail');
        this.set(0);
      },
    });
    server = createServer(metricsHandler(registry));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await ok.text()).toContain('# TYPE lab_spec_items_total counter');
    failing = true;
    const failed = await fetch(url);
    expect(failed.status).toBe(503);
    expect(await failed.text()).not.toContain('secret');
  });

  it('names the registry it serves, so that libs/http times requests into the same one', () => {
    const registry = createMetricsRegistry('coordinator');
    expect(metricsHandler(registry).registry).toBe(registry);
  });
});
