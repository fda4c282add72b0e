import { createMetricsRegistry } from '@concurrency-lab/metrics';
import { describe, expect, it } from 'vitest';
import type { RunView } from './runs.js';
import { simulationMetrics } from './simulation-metrics.js';

const task = (name: string, startMs: number, finishMs: number) => ({
  name,
  durationMs: finishMs - startMs,
  host: 'here',
  pid: 1,
  threadId: 0,
  waitMs: 0,
  startMs,
  finishMs,
});

/** The value of one sample line, e.g. `lab_x_total{mode="async",service="s"}`, its labels in any order. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((pair) => candidate.includes(pair)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('simulation metrics', () => {
  it('counts simulation runs by mode and outcome, and each finished task in the duration histogram', async () => {
    const registry = createMetricsRegistry('coordinator');
    const ended = simulationMetrics(registry);
    const runReport = (mode: 'sequential' | 'async', tasks: ReturnType<typeof task>[]) => ({
      runId: 'r',
      mode,
      workload: 'io' as const,
      seed: 1,
      coordinatorPid: 1,
      hostCores: 2,
      parallelism: 1,
      totalMs: 1,
      idealMs: 1,
      overheadMs: 0,
      speedup: 1,
      efficiency: 1,
      tasks,
    });
    const compare = {
      id: 'r',
      status: 'finished',
      createdAt: '',
      modes: ['sequential', 'async'],
      workload: 'io',
      tasks: 2,
      seed: 1,
      report: {
        runId: 'r',
        mode: 'compare',
        workload: 'io',
        seed: 1,
        coordinatorPid: 1,
        hostCores: 2,
        table: [],
        runs: {
          sequential: runReport('sequential', [task('a', 0, 200), task('b', 200, 300)]),
          async: runReport('async', [task('a', 0, 200), task('b', 0, 100)]),
        },
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
});
