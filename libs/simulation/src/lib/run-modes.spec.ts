import { PassThrough } from 'node:stream';
import { execFileSync } from 'node:child_process';
import { createLogger } from '@concurrency-lab/logger';
import { describe, expect, it } from 'vitest';
import { runParallel } from './run-parallel.js';
import { runSequential } from './run-sequential.js';
import { runSimulation } from './run-simulation.js';
import { simulationRequestSchema } from './request.js';

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { logger: createLogger({ service: 'coordinator', destination }), lines };
}

/** Pids of this process's living children. */
function childPids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, command]) => pid && command !== 'ps')
    .map(([pid]) => Number(pid));
}

const tasks = [
  { name: 'a.pdf', durationMs: 300 },
  { name: 'b.avi', durationMs: 500 },
  { name: 'c.iso', durationMs: 400 },
];

describe('sequential mode', () => {
  it('runs the tasks one after another in this process', async () => {
    const { logger, lines } = capturedLogger();
    const report = await runSequential('seq', tasks, logger);
    expect(report.tasks.map((task) => task.pid)).toEqual([process.pid, process.pid, process.pid]);
    for (let i = 1; i < report.tasks.length; i++) {
      expect(report.tasks[i]!.startMs).toBeGreaterThanOrEqual(report.tasks[i - 1]!.finishMs);
    }
    expect(report.idealMs).toBe(1200);
    expect(report.totalMs).toBeGreaterThanOrEqual(1200);
    expect(report.totalMs).toBeLessThan(1200 + 500); // generous: timers are late, never early
    expect(lines.filter((line) => line['msg'] === 'download started').map((line) => line['file'])).toEqual(['a.pdf', 'b.avi', 'c.iso']);
  });
});

describe('parallel mode', () => {
  it('runs every task in its own OS process, side by side', async () => {
    const { logger } = capturedLogger();
    // Long enough that every process is up before the first one finishes, even
    // on a loaded machine (from sources each process first loads tsx).
    const longer = tasks.map((task) => ({ ...task, durationMs: task.durationMs * 4 }));
    const report = await runParallel('par', longer, logger);
    const pids = report.tasks.map((task) => task.pid);
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(process.pid);
    expect(report.idealMs).toBe(2000);
    // Side by side: every task started before any finished, and the whole run beat the 4800 ms sum.
    const lastStart = Math.max(...report.tasks.map((task) => task.startMs));
    const firstFinish = Math.min(...report.tasks.map((task) => task.finishMs));
    expect(lastStart).toBeLessThan(firstFinish);
    expect(report.totalMs).toBeGreaterThanOrEqual(2000);
    expect(report.totalMs).toBeLessThan(4800);
    for (const task of report.tasks) expect(task.finishMs - task.startMs).toBeGreaterThanOrEqual(task.durationMs - 1);
    expect(childPids()).toEqual([]);
  });

  it('kills every process of the run when aborted', async () => {
    const { logger } = capturedLogger();
    const controller = new AbortController();
    const running = runParallel('abort', [{ name: 'long', durationMs: 30_000 }, { name: 'longer', durationMs: 30_000 }], logger, controller.signal);
    // Abort once both processes exist; process creation is the event to await.
    await expect.poll(() => childPids().length, { timeout: 10_000 }).toBe(2);
    controller.abort();
    await expect(running).rejects.toThrow();
    await expect.poll(() => childPids().length, { timeout: 5_000 }).toBe(0);
  });
});

describe('runSimulation', () => {
  it('compares both modes on the same tasks and logs the run', async () => {
    const { logger, lines } = capturedLogger();
    const request = simulationRequestSchema.parse({ mode: 'compare', tasks, scale: 0.5 });
    const report = await runSimulation(request, { logger, runId: 'cmp' });
    if (report.mode !== 'compare') throw new Error('expected a comparison');
    expect(report.sequential.tasks.map((t) => t.durationMs)).toEqual([150, 250, 200]);
    expect(report.parallel.tasks.map((t) => t.durationMs)).toEqual([150, 250, 200]);
    expect(report.sequential.tasks.every((t) => t.pid === process.pid)).toBe(true);
    expect(report.parallel.tasks.some((t) => t.pid === process.pid)).toBe(false);
    expect(report.idealSpeedup).toBe(2.4);
    expect(report.speedup).toBe(Math.round((report.sequential.totalMs / report.parallel.totalMs) * 100) / 100);
    const finished = lines.find((line) => line['msg'] === 'run finished');
    expect(finished).toMatchObject({ runId: 'cmp', mode: 'compare', speedup: report.speedup });
  });
});
