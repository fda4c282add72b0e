import { createCoordinatorClient } from '@concurrency-lab/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedComparison } from './support/runs.js';
import { startSystem, type RunningSystem } from './support/system.js';

/**
 * The requests a newcomer sends first, with no body at all, at the lesson's
 * real timings (no scale): each answers with its complete report.
 */
describe("the lesson's defaults, at real timings", () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('POST /simulations with no body: 201 with both downloads run one after another, then in a process each', async () => {
    const report = await finishedComparison(createCoordinatorClient({ baseUrl: system.baseUrl }));
    expect(report.mode).toBe('compare');
    expect(report.table.map((row) => row.mode)).toEqual(['sequential', 'processes']);
    const coordinator = system.services.coordinator.pid;
    expect(report.coordinatorPid).toBe(coordinator);

    const sequential = report.runs['sequential']!;
    const processes = report.runs['processes']!;
    for (const run of [sequential, processes]) {
      expect(run.tasks.map((task) => task.name)).toEqual(['Python introduction.pdf', 'av.avi']);
      for (const task of run.tasks) {
        // randint(5, 10) seconds, as in the lesson; each task took at least its duration.
        expect([5_000, 6_000, 7_000, 8_000, 9_000, 10_000]).toContain(task.durationMs);
        expect(task.finishMs - task.startMs).toBeGreaterThanOrEqual(task.durationMs - 1);
      }
    }
    const durations = sequential.tasks.map((task) => task.durationMs);
    expect(processes.tasks.map((task) => task.durationMs)).toEqual(durations);

    // One after another: about the sum. Side by side: about the longer one.
    const sum = durations[0]! + durations[1]!;
    const longest = Math.max(...durations);
    expect(sequential.totalMs).toBeGreaterThanOrEqual(sum);
    expect(sequential.totalMs).toBeLessThan(sum + 1_500);
    expect(processes.totalMs).toBeGreaterThanOrEqual(longest);
    // Side by side: each download started before the other finished.
    const starts = processes.tasks.map((task) => task.startMs);
    const finishes = processes.tasks.map((task) => task.finishMs);
    expect(Math.max(...starts)).toBeLessThan(Math.min(...finishes));
    // Process start-up is the slack: generous, as a loaded machine (CI, or several suites at once) starts processes slowly.
    expect(processes.totalMs).toBeLessThan(longest + 5_000);
    expect(report.table[1]!.speedup).toBeGreaterThan(1);

    // Sequential runs in the coordinator; each process task in a process of its own.
    expect(sequential.tasks.map((task) => task.pid)).toEqual([coordinator, coordinator]);
    const pids = processes.tasks.map((task) => task.pid);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(coordinator);
  }, 90_000);
});
