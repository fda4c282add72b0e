import { createMetricsRegistry } from '@concurrency-lab/metrics';
import { describe, expect, it } from 'vitest';
import { queueRunMetrics } from './queue-run-metrics.js';

/** The value of one sample line, e.g. `lab_x_total{mode="async",service="s"}`, its labels in any order. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((pair) => candidate.includes(pair)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('queue-run metrics', () => {
  it('counts queue runs by transport and outcome', async () => {
    const registry = createMetricsRegistry('coordinator');
    const runs = queueRunMetrics(registry);
    runs.runEnded('core', 'timeout');
    runs.runEnded('jetstream', 'finished');
    const text = await registry.metrics();
    expect(sample(text, 'lab_queue_runs_total', { transport: 'core', outcome: 'timeout' })).toBe(1);
    expect(sample(text, 'lab_queue_runs_total', { transport: 'jetstream', outcome: 'finished' })).toBe(1);
  });
});
