import { PassThrough } from 'node:stream';
import { createLogger } from '@concurrency-lab/logger';
import { nodeChildPids } from '@concurrency-lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulationEngine } from './engine.js';
import type { SimulationEvent } from './events.js';
import { SIMULATION_LIMITS } from './limits.js';
import { planSimulation, simulationRequestSchema } from './request.js';
import { TooManyRunsError } from '@concurrency-lab/runs';
import { SimulationRuns } from './runs.js';

const logger = createLogger({ service: 'coordinator', destination: new PassThrough() });
const plan = (body: unknown) => planSimulation(simulationRequestSchema.parse(body));

describe('simulation runs', () => {
  let engine: SimulationEngine;
  let runs: SimulationRuns;
  beforeAll(() => {
    engine = SimulationEngine.start({ logger, poolSize: 1, calibration: { iterationsPerMs: 100_000, tookMs: 0, calibratedAt: '' } });
    runs = new SimulationRuns(engine, logger);
  });
  afterAll(async () => {
    await runs.cancelAll('spec over');
    await engine.close();
  });

  it('runs in the background, reports when done, and lists the run', async () => {
    const view = runs.start(plan({ mode: 'async', count: 3, minMs: 50, maxMs: 80, seed: 9 }));
    expect(view.status).toBe('running');
    expect(await runs.waitFor(view.id, 10_000)).toBe(true);
    const done = runs.get(view.id);
    expect(done).toMatchObject({ status: 'finished', seed: 9, tasks: 3, modes: ['async'] });
    expect(done?.report?.mode).toBe('async');
    expect(runs.list()[0]).toMatchObject({ id: view.id, status: 'finished' });
    expect(runs.list()[0]).not.toHaveProperty('report');
  });

  it('waitFor gives up after the given time while the run goes on', async () => {
    const view = runs.start(plan({ mode: 'async', tasks: [{ name: 'slow', durationMs: 500 }] }));
    expect(await runs.waitFor(view.id, 20)).toBe(false);
    expect(runs.get(view.id)?.status).toBe('running');
    expect(await runs.waitFor(view.id, 10_000)).toBe(true);
  });

  it('tells a watcher every event, the run-finished one last; a late watcher gets the last event only', async () => {
    const view = runs.start(
      plan({
        mode: 'compare',
        modes: ['sequential', 'async'],
        tasks: [
          { name: 'a', durationMs: 20 },
          { name: 'b', durationMs: 30 },
        ],
      }),
    );
    const events: SimulationEvent[] = [];
    runs.watch(view.id, (event) => events.push(event));
    await runs.waitFor(view.id, 10_000);
    expect(events.filter((e) => e.type === 'task-started')).toHaveLength(4);
    expect(events.filter((e) => e.type === 'task-finished')).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'finished' });
    const late: SimulationEvent[] = [];
    runs.watch(view.id, (event) => late.push(event));
    expect(late.map((e) => e.type)).toEqual(['run-finished']);
  });

  it('cancels a running run', async () => {
    const view = runs.start(plan({ mode: 'processes', tasks: [{ name: 'long', durationMs: 30_000 }] }));
    const cancelled = await runs.cancel(view.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', error: 'cancelled by request' });
    expect(runs.inFlight).toBe(0);
  });

  it('a cancel resolves only once every process of the run has exited, none left to die later', async () => {
    const view = runs.start(plan({ mode: 'processes', count: 3, minMs: 30_000, maxMs: 30_000 }));
    const pids = new Set<number>();
    const allStarted = new Promise<void>((resolve) =>
      runs.watch(view.id, (event) => {
        if (event.type === 'task-started') pids.add(event.pid);
        if (pids.size === 3) resolve();
      }),
    );
    await allStarted;
    expect(nodeChildPids().filter((pid) => pids.has(pid))).toHaveLength(3);
    await runs.cancel(view.id, 'shutting down');
    // No waiting here: the coordinator exits right after cancelling, and must not leave a process behind.
    expect(nodeChildPids().filter((pid) => pids.has(pid))).toEqual([]);
  });

  it('a cancel resolves only once the pool worker stopped mid-task has exited', async () => {
    const view = runs.start(plan({ mode: 'pool', count: 2, minMs: 30_000, maxMs: 30_000 }));
    const started = new Promise<number>((resolve) =>
      runs.watch(view.id, (event) => {
        if (event.type === 'task-started') resolve(event.pid);
      }),
    );
    const worker = await started;
    await runs.cancel(view.id, 'shutting down');
    expect(nodeChildPids()).not.toContain(worker);
  });

  it(`refuses a run past ${SIMULATION_LIMITS.maxRunsInFlight} in flight`, async () => {
    const started = Array.from({ length: SIMULATION_LIMITS.maxRunsInFlight }, () =>
      runs.start(plan({ mode: 'async', tasks: [{ name: 'hold', durationMs: 30_000 }] })),
    );
    expect(() => runs.start(plan({ mode: 'async', tasks: [{ name: 'extra', durationMs: 1 }] }))).toThrow(TooManyRunsError);
    await Promise.all(started.map((view) => runs.cancel(view.id)));
    expect(runs.start(plan({ mode: 'async', tasks: [{ name: 'after', durationMs: 1 }] })).status).toBe('running');
  });

  it('returns nothing for an unknown run', async () => {
    expect(runs.get('nope')).toBeUndefined();
    expect(await runs.cancel('nope')).toBeUndefined();
    expect(runs.watch('nope', () => undefined)).toBeUndefined();
  });
});
