import { roundMs } from './clock.js';
import type { DownloadTask } from './tasks.js';

export type RunMode = 'sequential' | 'parallel';

/** One task on the run's timeline, offsets in ms from the run's start. */
export interface TaskTiming extends DownloadTask {
  pid: number;
  startMs: number;
  finishMs: number;
}

export interface RunReport {
  runId: string;
  mode: RunMode;
  coordinatorPid: number;
  /** Wall-clock time of the whole run. */
  totalMs: number;
  /** What the model promises: the sum of durations one after another, the longest one side by side. */
  idealMs: number;
  /** totalMs - idealMs: what running the model itself cost. */
  overheadMs: number;
  tasks: TaskTiming[];
}

export interface CompareReport {
  runId: string;
  mode: 'compare';
  coordinatorPid: number;
  sequential: RunReport;
  parallel: RunReport;
  /** sequential.totalMs / parallel.totalMs, measured. */
  speedup: number;
  /** sequential.idealMs / parallel.idealMs: the best speedup these tasks allow. */
  idealSpeedup: number;
}

export function idealMs(mode: RunMode, tasks: readonly DownloadTask[]): number {
  const durations = tasks.map((task) => task.durationMs);
  return mode === 'sequential' ? durations.reduce((sum, ms) => sum + ms, 0) : Math.max(0, ...durations);
}

export function buildRunReport(runId: string, mode: RunMode, totalMs: number, tasks: TaskTiming[]): RunReport {
  const ideal = idealMs(mode, tasks);
  return {
    runId,
    mode,
    coordinatorPid: process.pid,
    totalMs: roundMs(totalMs),
    idealMs: ideal,
    overheadMs: roundMs(totalMs - ideal),
    tasks: tasks.map((task) => ({ ...task, startMs: roundMs(task.startMs), finishMs: roundMs(task.finishMs) })),
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? Math.round((numerator / denominator) * 100) / 100 : 0;
}

export function buildCompareReport(sequential: RunReport, parallel: RunReport): CompareReport {
  return {
    runId: sequential.runId,
    mode: 'compare',
    coordinatorPid: process.pid,
    sequential,
    parallel,
    speedup: ratio(sequential.totalMs, parallel.totalMs),
    idealSpeedup: ratio(sequential.idealMs, parallel.idealMs),
  };
}
