import { describe, expect, it } from 'vitest';
import { row, type BenchRow } from './rows.js';
import { evaluateTargets } from './targets.js';

const overhead = (count: number, mode: string, project: number | null, python: number | null): BenchRow =>
  row({
    id: `parallel-overhead/${count}/${mode}`,
    group: 'parallel overhead',
    what: `${count} x 200 ms, ${mode}`,
    unit: 'ms',
    better: 'lower',
    project,
    anchor: { name: 'python Process per task', value: python },
    params: { count, durationMs: 200, mode },
  });

const curve = (count: number, mode: string, totalMs: number | null, note?: string): BenchRow =>
  row({
    id: `scale-curve/${count}/${mode}`,
    group: 'scale curve',
    what: `total, ${count} x 100 ms, ${mode}`,
    unit: 'ms',
    better: 'lower',
    project: totalMs,
    anchor: { name: 'python', value: 300 },
    note,
    params: totalMs === null ? { count, durationMs: 100, mode } : { count, durationMs: 100, mode, idealMs: 100 },
  });

const queue = (project: number | null, publish: number | null): BenchRow =>
  row({
    id: 'queue/vs-jetstream-publish',
    group: 'queue throughput',
    what: '10,000 items',
    unit: 'items/s',
    better: 'higher',
    project,
    anchor: { name: 'raw JetStream publish', value: publish },
    params: { items: 10_000 },
  });

const http = (id: string, route: string, project: number | null, express: number | null): BenchRow =>
  row({
    id: `http/${id}`,
    group: 'http requests/s',
    what: route,
    unit: 'req/s',
    better: 'higher',
    project,
    anchor: { name: 'bare Express 5', value: express },
    params: { route },
  });

const target = (rows: BenchRow[], id: string) => evaluateTargets(rows).find((t) => t.id === id);

describe('evaluateTargets', () => {
  it('always judges every target, unmet when nothing was measured', () => {
    const targets = evaluateTargets([]);
    expect(targets.map((t) => t.id)).toEqual([
      'parallel-50-overhead',
      'queue-vs-jetstream',
      'core-queue-vs-python',
      'healthz-vs-express',
      'post-simulations-vs-same-work-express',
      'parallel-1000-within-1.1x',
      'distributed-50-overhead',
      'processes-vs-node-floor',
      'threads-vs-node-floor',
    ]);
    expect(targets.every((t) => !t.met && t.detail.startsWith('not measured'))).toBe(true);
  });

  describe('50 tasks distributed over 4 downloaders', () => {
    const distributed = (project: number | null, tasksReported = 50): BenchRow => ({
      id: 'distributed-overhead/50',
      group: 'distributed overhead',
      what: '50 x 200 ms over 4 downloader processes',
      unit: 'ms',
      better: 'lower',
      project,
      anchor: { name: 'processes mode, same tasks', value: 120 },
      ratio: null,
      params: { count: 50, durationMs: 200, mode: 'distributed', tasksReported },
    });

    it('is met within 20 ms with every task reported, and not past it or with a task missing', () => {
      expect(target([distributed(14.2)], 'distributed-50-overhead')).toMatchObject({ met: true, detail: '14.2 ms' });
      expect(target([distributed(20.5)], 'distributed-50-overhead')).toMatchObject({ met: false, detail: '20.5 ms' });
      expect(target([distributed(10, 49)], 'distributed-50-overhead')).toMatchObject({ met: false, detail: '10.0 ms, tasks missing' });
      expect(target([distributed(null)], 'distributed-50-overhead')?.detail).toMatch(/^not measured/);
    });
  });

  describe('50 tasks in parallel', () => {
    it('is met by any mode within 10 ms and at or below Python, and says which', () => {
      const rows = [
        overhead(50, 'processes', 400, 40),
        overhead(50, 'threads', 12, 40),
        overhead(50, 'async', 2.4, 40),
        overhead(10, 'pool', 1, 40),
      ];
      const result = target(rows, 'parallel-50-overhead');
      expect(result?.met).toBe(true);
      expect(result?.detail).toBe('met by async 2.4 ms (python 40.0 ms)');
    });

    it('is not met when the mode within 10 ms is above Python', () => {
      const result = target([overhead(50, 'async', 8, 5)], 'parallel-50-overhead');
      expect(result?.met).toBe(false);
      expect(result?.detail).toBe('not met: async 8.0 ms (python 5.0 ms)');
    });

    it('is not met without a Python figure to compare with', () => {
      expect(target([overhead(50, 'async', 1, null)], 'parallel-50-overhead')?.met).toBe(false);
    });

    it('ignores n/a modes', () => {
      const result = target([overhead(50, 'pool', null, 40), overhead(50, 'async', 3, 40)], 'parallel-50-overhead');
      expect(result?.met).toBe(true);
    });
  });

  describe('queue over core NATS against Python', () => {
    const core = (project: number | null, python: number | null): BenchRow =>
      row({
        id: 'queue/core-vs-python-queue',
        group: 'queue throughput',
        what: '10,000 items, transport core',
        unit: 'items/s',
        better: 'higher',
        project,
        anchor: { name: 'python multiprocessing.Queue', value: python },
        params: { items: 10_000 },
      });
    it('is met at or above the Python queue', () => {
      expect(target([core(100_000, 100_000)], 'core-queue-vs-python')?.met).toBe(true);
      expect(target([core(99_999, 100_000)], 'core-queue-vs-python')?.met).toBe(false);
      expect(target([core(null, 100_000)], 'core-queue-vs-python')?.detail).toMatch(/^not measured/);
    });
  });

  describe('queue against raw JetStream publish', () => {
    it('is met at 75% or more', () => {
      expect(target([queue(7_500, 10_000)], 'queue-vs-jetstream')?.met).toBe(true);
      expect(target([queue(7_499, 10_000)], 'queue-vs-jetstream')?.met).toBe(false);
      expect(target([queue(500, 13_954)], 'queue-vs-jetstream')?.detail).toBe('3.6% (500 vs 13954 items/s)');
    });

    it('is not met when either figure is missing', () => {
      expect(target([queue(null, 10_000)], 'queue-vs-jetstream')?.met).toBe(false);
      expect(target([queue(100, null)], 'queue-vs-jetstream')?.detail).toMatch(/^not measured/);
    });
  });

  describe('each HTTP route against its Express anchor', () => {
    const rows = (health: number | null, simulations: number | null) => [
      http('healthz', 'GET /healthz', health, 10_000),
      http('post-simulations', 'POST /simulations', simulations, 1_000),
    ];

    it('is met by a route at 80% or more of its anchor, judged on its own', () => {
      const health = target(rows(8_000, 300), 'healthz-vs-express');
      expect(health?.met).toBe(true);
      expect(health?.detail).toBe('80.0% (8000 vs 10000 req/s)');
      const simulations = target(rows(8_000, 300), 'post-simulations-vs-same-work-express');
      expect(simulations?.met).toBe(false);
      expect(simulations?.detail).toBe('30.0% (300 vs 1000 req/s)');
    });

    it('is not met when a route is just short or n/a', () => {
      expect(target(rows(7_999, 900), 'healthz-vs-express')?.met).toBe(false);
      expect(target(rows(9_000, 900), 'post-simulations-vs-same-work-express')?.met).toBe(true);
      expect(target(rows(9_000, null), 'post-simulations-vs-same-work-express')?.detail).toMatch(/^not measured/);
    });
  });

  describe('1000 parallel tasks', () => {
    it('is met by a concurrent mode within 1.1 times the longest task, and says which', () => {
      const rows = [curve(1000, 'sequential', 100), curve(1000, 'processes', 9_000), curve(1000, 'async', 108)];
      const result = target(rows, 'parallel-1000-within-1.1x');
      expect(result?.met).toBe(true);
      expect(result?.detail).toBe('met by async 1.08x');
    });

    it('does not count sequential mode, and reports every mode when none meets it', () => {
      const result = target([curve(1000, 'sequential', 100), curve(1000, 'threads', 150)], 'parallel-1000-within-1.1x');
      expect(result?.met).toBe(false);
      expect(result?.detail).toBe('not met: threads 1.50x');
    });

    it('says why when the point was not measured', () => {
      const result = target(
        [curve(1000, 'async', null, 'n/a: rejected: tasks: must hold at most 100 tasks'), curve(10, 'async', 101)],
        'parallel-1000-within-1.1x',
      );
      expect(result?.met).toBe(false);
      expect(result?.detail).toBe('not measured (async: n/a: rejected: tasks: must hold at most 100 tasks)');
    });
  });
});
