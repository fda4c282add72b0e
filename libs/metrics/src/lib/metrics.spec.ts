// eslint-disable-next-line @nx/enforce-module-boundaries -- TEMPORARY until branch "runs" moves the metric adapters beside what they observe; remove at merge
import type { RunView } from '@concurrency-lab/simulation';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { queueRunMetrics, readerMetrics, writerMetrics } from './queue-metrics.js';
import { createMetricsRegistry, metricsHandler } from './registry.js';
import { simulationMetrics } from './simulation-metrics.js';

const task = (name: string, startMs: number, finishMs: number) => ({ name, durationMs: finishMs - startMs, pid: 1, threadId: 0, waitMs: 0, startMs, finishMs });

/** The value of one sample line, e.g. `lab_x_total{mode="async",service="s"}`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((pair) => candidate.includes(pair)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

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

  it('counts simulation runs by mode and outcome, and each finished task in the duration histogram', async () => {
    const registry = createMetricsRegistry('coordinator');
    const ended = simulationMetrics(registry);
    const runReport = (mode: 'sequential' | 'async', tasks: ReturnType<typeof task>[]) => ({
      runId: 'r', mode, workload: 'io' as const, seed: 1, coordinatorPid: 1, hostCores: 2, parallelism: 1, totalMs: 1, idealMs: 1, overheadMs: 0, speedup: 1, efficiency: 1, tasks,
    });
    const compare = {
      id: 'r', status: 'finished', createdAt: '', modes: ['sequential', 'async'], workload: 'io', tasks: 2, seed: 1,
      report: {
        runId: 'r', mode: 'compare', workload: 'io', seed: 1, coordinatorPid: 1, hostCores: 2, table: [],
        runs: { sequential: runReport('sequential', [task('a', 0, 200), task('b', 200, 300)]), async: runReport('async', [task('a', 0, 200), task('b', 0, 100)]) },
      },
    } satisfies RunView;
    ended(compare);
    ended({ ...compare, status: 'cancelled', modes: ['async'], report: undefined });
    const text = await registry.metrics();
    expect(sample(text, 'lab_simulation_runs_total', { mode: 'sequential', outcome: 'finished' })).toBe(1);
    expect(sample(text, 'lab_simulation_runs_total', { mode: 'async', outcome: 'finished' })).toBe(1);
    expect(sample(text, 'lab_simulation_runs_total', { mode: 'async', outcome: 'cancelled' })).toBe(1);
    expect(sample(text, 'lab_simulation_task_duration_seconds_count', { mode: 'async' })).toBe(2);
    expect(sample(text, 'lab_simulation_task_duration_seconds_bucket', { mode: 'async', le: '0.1' })).toBe(1);
    expect(sample(text, 'lab_simulation_task_duration_seconds_sum', { mode: 'sequential' })).toBeCloseTo(0.3);
  });

  it('counts items written, read, redelivered, skipped and discarded, and asks for the lag when scraped', async () => {
    const registry = createMetricsRegistry('reader');
    let lagAsked = 0;
    const reader = readerMetrics(registry, async () => ({ pending: 7 + lagAsked++, ackPending: 3 }));
    const writer = writerMetrics(registry);
    const runs = queueRunMetrics(registry);
    writer.itemWritten('jetstream', false);
    writer.itemWritten('jetstream', true);
    reader.itemRead('jetstream', 1);
    reader.itemRead('jetstream', 2);
    reader.itemRead('core', 1);
    reader.alreadyRead();
    reader.malformedItem();
    reader.itemHandedBack();
    runs.runEnded('core', 'timeout');
    const text = await registry.metrics();
    expect(sample(text, 'lab_queue_items_published_total', { transport: 'jetstream', duplicate: 'true' })).toBe(1);
    expect(sample(text, 'lab_queue_items_read_total', { transport: 'jetstream' })).toBe(2);
    expect(sample(text, 'lab_queue_items_read_total', { transport: 'core' })).toBe(1);
    expect(sample(text, 'lab_queue_items_redelivered_total', {})).toBe(1);
    expect(sample(text, 'lab_queue_redeliveries_already_read_total', {})).toBe(1);
    expect(sample(text, 'lab_queue_malformed_items_total', {})).toBe(1);
    expect(sample(text, 'lab_queue_items_handed_back_total', {})).toBe(1);
    expect(sample(text, 'lab_queue_runs_total', { transport: 'core', outcome: 'timeout' })).toBe(1);
    expect(sample(text, 'lab_queue_consumer_pending', {})).toBe(7);
    expect(sample(text, 'lab_queue_consumer_ack_pending', {})).toBe(3);
    expect(sample(await registry.metrics(), 'lab_queue_consumer_pending', {})).toBe(8); // asked again at each scrape, once
  });

  it('serves the text format over HTTP, and 503 without internals when a collector fails', async () => {
    const registry = createMetricsRegistry('reader');
    let failing = false;
    readerMetrics(registry, async () => {
      if (failing) throw new Error('secret internal detail');
      return { pending: 0, ackPending: 0 };
    });
    server = createServer(metricsHandler(registry));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await ok.text()).toContain('# TYPE lab_queue_items_read_total counter');
    failing = true;
    const failed = await fetch(url);
    expect(failed.status).toBe(503);
    expect(await failed.text()).not.toContain('secret');
  });
});
