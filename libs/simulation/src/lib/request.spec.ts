import { describe, expect, it } from 'vitest';
import { SIMULATION_LIMITS } from './limits.js';
import { simulationRequestSchema, tasksFor } from './request.js';
import { lessonTasks } from './tasks.js';

function firstIssue(body: unknown) {
  const parsed = simulationRequestSchema.safeParse(body);
  if (parsed.success) throw new Error('expected the body to be rejected');
  return { path: parsed.error.issues[0]?.path.join('.'), message: parsed.error.issues[0]?.message };
}

describe('simulation request', () => {
  it('defaults to comparing the lesson tasks at full scale', () => {
    const request = simulationRequestSchema.parse({});
    expect(request).toEqual({ mode: 'compare', scale: 1 });
    const tasks = tasksFor(request, () => 0.99);
    expect(tasks).toEqual([
      { name: 'Python introduction.pdf', durationMs: 10_000 },
      { name: 'av.avi', durationMs: 10_000 },
    ]);
  });

  it('draws lesson durations as whole seconds from 5 to 10', () => {
    const seen = new Set<number>();
    for (let draw = 0; draw < 60; draw++) {
      const value = draw / 60;
      for (const task of lessonTasks(() => value)) seen.add(task.durationMs);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([5000, 6000, 7000, 8000, 9000, 10000]);
  });

  it('scales durations', () => {
    const request = simulationRequestSchema.parse({ tasks: [{ name: 'x', durationMs: 8000 }], scale: 0.01 });
    expect(tasksFor(request)).toEqual([{ name: 'x', durationMs: 80 }]);
  });

  it.each([
    [{ mode: 'threads' }, 'mode'],
    [{ tasks: [] }, 'tasks'],
    [{ tasks: [{ name: '', durationMs: 1 }] }, 'tasks.0.name'],
    [{ tasks: [{ name: 'a', durationMs: -1 }] }, 'tasks.0.durationMs'],
    [{ tasks: [{ name: 'a', durationMs: 1.5 }] }, 'tasks.0.durationMs'],
    [{ tasks: [{ name: 'a', durationMs: '100' }] }, 'tasks.0.durationMs'],
    [{ tasks: [{ name: 'a', durationMs: SIMULATION_LIMITS.maxTaskMs + 1 }] }, 'tasks.0.durationMs'],
    [{ tasks: [{ name: 'a', durationMs: 1, size: 3 }] }, 'tasks.0'],
    [{ scale: 0 }, 'scale'],
    [{ scale: 11 }, 'scale'],
    [{ colour: 'red' }, ''],
  ])('rejects %j at %s', (body, path) => {
    expect(firstIssue(body).path).toBe(path);
  });

  it('limits the number of tasks', () => {
    const tasks = Array.from({ length: SIMULATION_LIMITS.maxTasks + 1 }, (_, i) => ({ name: `t${i}`, durationMs: 1 }));
    expect(firstIssue({ tasks }).path).toBe('tasks');
  });

  it('limits the total after scaling, which bounds a sequential run', () => {
    const tasks = Array.from({ length: 3 }, (_, i) => ({ name: `t${i}`, durationMs: 50_000 }));
    expect(firstIssue({ tasks })).toMatchObject({ path: 'tasks', message: expect.stringContaining('120000') });
  });

  it('limits a task scaled past the per-task maximum', () => {
    expect(firstIssue({ tasks: [{ name: 'a', durationMs: 10_000 }], scale: 10 }).path).toBe('scale');
  });
});
