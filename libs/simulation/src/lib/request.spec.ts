import { describe, expect, it } from 'vitest';
import { SIMULATION_LIMITS } from './limits.js';
import { planSimulation, PlanLimitError, RUN_MODES, simulationRequestSchema } from './request.js';
import { seededRandom } from './random.js';
import { lessonTasks } from './tasks.js';

function firstIssue(body: unknown) {
  const parsed = simulationRequestSchema.safeParse(body);
  if (parsed.success) throw new Error('expected the body to be rejected');
  return { path: parsed.error.issues[0]?.path.join('.'), message: parsed.error.issues[0]?.message };
}

const plan = (body: unknown) => planSimulation(simulationRequestSchema.parse(body));

describe('simulation request', () => {
  it("defaults to the lesson's run: its two downloads compared sequential against processes, io workload, full scale", () => {
    const request = simulationRequestSchema.parse({});
    expect(request).toEqual({ workload: 'io', scale: 1 });
    const planned = planSimulation(request);
    expect(planned.compare).toBe(true);
    expect(planned.modes).toEqual(['sequential', 'processes']);
    expect(planned.tasks.map((task) => task.name)).toEqual(['Python introduction.pdf', 'av.avi']);
    expect(Number.isInteger(planned.seed)).toBe(true);
  });

  it('compares every local mode when asked for compare without modes, and the modes listed when given, with or without mode', () => {
    expect(plan({ mode: 'compare' }).modes).toEqual(RUN_MODES.filter((mode) => mode !== 'distributed'));
    expect(plan({ modes: ['async', 'pool'] })).toMatchObject({ compare: true, modes: ['async', 'pool'] });
    expect(plan({ mode: 'sequential' })).toMatchObject({ compare: false, modes: ['sequential'] });
    expect(firstIssue({ mode: 'async', modes: ['async'] })).toEqual({ path: 'modes', message: 'only goes with mode "compare"' });
  });

  it('draws lesson durations as whole seconds from 5 to 10', () => {
    const seen = new Set<number>();
    for (let draw = 0; draw < 60; draw++) for (const task of lessonTasks(() => draw / 60)) seen.add(task.durationMs);
    expect([...seen].sort((a, b) => a - b)).toEqual([5000, 6000, 7000, 8000, 9000, 10000]);
  });

  it('generates the same tasks from the same seed, and reports the seed', () => {
    const first = plan({ mode: 'async', count: 20, minMs: 100, maxMs: 300, seed: 42 });
    const again = plan({ mode: 'async', count: 20, minMs: 100, maxMs: 300, seed: 42 });
    const other = plan({ mode: 'async', count: 20, minMs: 100, maxMs: 300, seed: 43 });
    expect(first.tasks).toEqual(again.tasks);
    expect(first.tasks).not.toEqual(other.tasks);
    expect(first.seed).toBe(42);
    expect(first.tasks).toHaveLength(20);
    for (const task of first.tasks) {
      expect(task.durationMs).toBeGreaterThanOrEqual(100);
      expect(task.durationMs).toBeLessThanOrEqual(300);
    }
    expect(first.tasks[0]?.name).toBe('file-01');
  });

  it('draws uniformly enough to hit both ends of the range', () => {
    const random = seededRandom(1);
    const draws = Array.from({ length: 1000 }, random);
    expect(Math.min(...draws)).toBeLessThan(0.01);
    expect(Math.max(...draws)).toBeGreaterThan(0.99);
  });

  it('maps parallel to processes and runs compare in the modes asked for', () => {
    expect(plan({ mode: 'parallel', tasks: [{ name: 'a', durationMs: 1 }] }).modes).toEqual(['processes']);
    expect(plan({ mode: 'compare', modes: ['async', 'threads'], count: 2 }).modes).toEqual(['async', 'threads']);
  });

  it('draws within the one bound given and the other default, never outside', () => {
    const high = plan({ mode: 'async', count: 50, minMs: 5_000, seed: 1 });
    expect(high.tasks.every((task) => task.durationMs === 5_000)).toBe(true);
    const low = plan({ mode: 'async', count: 50, maxMs: 50, seed: 1 });
    expect(low.tasks.every((task) => task.durationMs <= 50)).toBe(true);
  });

  it('scales durations', () => {
    expect(plan({ mode: 'async', tasks: [{ name: 'x', durationMs: 8000 }], scale: 0.01 }).tasks).toEqual([{ name: 'x', durationMs: 80 }]);
  });

  it.each([
    [{ mode: 'fibers' }, 'mode'],
    [{ workload: 'gpu' }, 'workload'],
    [{ mode: 'compare', modes: ['async', 'async'] }, 'modes'],
    [{ mode: 'compare', modes: ['compare'] }, 'modes.0'],
    [{ mode: 'async', modes: ['async'] }, 'modes'],
    [{ tasks: [] }, 'tasks'],
    [{ tasks: [{ name: '', durationMs: 1 }] }, 'tasks.0.name'],
    [{ tasks: [{ name: 'a', durationMs: -1 }] }, 'tasks.0.durationMs'],
    [{ tasks: [{ name: 'a', durationMs: 1.5 }] }, 'tasks.0.durationMs'],
    [{ tasks: [{ name: 'a', durationMs: '100' }] }, 'tasks.0.durationMs'],
    [{ tasks: [{ name: 'a', durationMs: SIMULATION_LIMITS.maxTaskMs + 1 }] }, 'tasks.0.durationMs'],
    [{ tasks: [{ name: 'a', durationMs: 1, size: 3 }] }, 'tasks.0'],
    [{ tasks: [{ name: 'a', durationMs: 1 }], count: 3 }, 'count'],
    [{ count: 0 }, 'count'],
    [{ count: SIMULATION_LIMITS.maxTasks + 1 }, 'count'],
    [{ minMs: 5 }, 'minMs'],
    [{ count: 2, minMs: 500, maxMs: 100 }, 'minMs'],
    [{ mode: 'async', count: 5, minMs: 60_000, scale: 10 }, 'scale'],
    [{ seed: -1 }, 'seed'],
    [{ seed: 1.5 }, 'seed'],
    [{ scale: 0 }, 'scale'],
    [{ scale: 11 }, 'scale'],
    [{ waitMs: 0 }, ''],
    [{ tasks: [{ name: 'a', durationMs: 10_000 }], scale: 10 }, 'scale'],
    [{ colour: 'red' }, ''],
  ])('rejects %j at %s', (body, path) => {
    expect(firstIssue(body).path).toBe(path);
  });

  it('limits the number of tasks', () => {
    const tasks = Array.from({ length: SIMULATION_LIMITS.maxTasks + 1 }, (_, i) => ({ name: `t${i}`, durationMs: 1 }));
    expect(firstIssue({ tasks }).path).toBe('tasks');
  });

  it('limits the total time of a run that includes sequential mode or the cpu workload', () => {
    const tasks = Array.from({ length: 3 }, (_, i) => ({ name: `t${i}`, durationMs: 50_000 }));
    expect(() => plan({ mode: 'compare', tasks })).toThrow(PlanLimitError);
    expect(() => plan({ mode: 'threads', workload: 'cpu', tasks })).toThrow(/120000 ms/);
    // Side by side, waiting, the same tasks take 50 s: allowed.
    expect(plan({ mode: 'async', tasks }).tasks).toHaveLength(3);
  });
});
