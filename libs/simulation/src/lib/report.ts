import type { RunMode } from './request.js';
import type { DownloadTask } from './tasks.js';
import type { Workload } from './workload.js';

/** One task on its run's timeline; offsets in ms from the run's start. */
export interface TaskTiming extends DownloadTask {
  pid: number;
  /** 0 for a process's main thread. */
  threadId: number;
  /** When the task got its worker, process, thread or turn. */
  waitMs: number;
  startMs: number;
  finishMs: number;
}

export interface RunReport {
  runId: string;
  mode: RunMode;
  workload: Workload;
  seed: number;
  coordinatorPid: number;
  hostCores: number;
  /** How many tasks this mode lets run at once here. */
  parallelism: number;
  /** Wall-clock time of the whole run. */
  totalMs: number;
  /** What the model promises: the sum of durations one after another, the longest one side by side. */
  idealMs: number;
  /** totalMs - idealMs: what running the model itself cost. */
  overheadMs: number;
  /** sum of durations / totalMs: how many times faster than one after another. */
  speedup: number;
  /** speedup / parallelism: how much of the parallelism paid off. */
  efficiency: number;
  tasks: TaskTiming[];
}

/** One row of a comparison. */
export interface CompareRow {
  mode: RunMode;
  totalMs: number;
  idealMs: number;
  overheadMs: number;
  parallelism: number;
  /** Against the sequential run of the same comparison when there is one, otherwise against the sum of durations. */
  speedup: number;
  efficiency: number;
}

export interface CompareReport {
  runId: string;
  mode: 'compare';
  workload: Workload;
  seed: number;
  coordinatorPid: number;
  hostCores: number;
  table: CompareRow[];
  runs: Partial<Record<RunMode, RunReport>>;
}

export type SimulationReport = RunReport | CompareReport;

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
const ratio = (numerator: number, denominator: number) => (denominator > 0 ? round2(numerator / denominator) : 0);

export function sumMs(tasks: readonly DownloadTask[]): number {
  return tasks.reduce((sum, task) => sum + task.durationMs, 0);
}

export function idealMs(mode: RunMode, tasks: readonly DownloadTask[]): number {
  return mode === 'sequential' ? sumMs(tasks) : Math.max(0, ...tasks.map((task) => task.durationMs));
}

export interface RunFacts {
  runId: string;
  mode: RunMode;
  workload: Workload;
  seed: number;
  hostCores: number;
  parallelism: number;
  totalMs: number;
  tasks: TaskTiming[];
}

export function buildRunReport(facts: RunFacts): RunReport {
  const ideal = idealMs(facts.mode, facts.tasks);
  const speedup = ratio(sumMs(facts.tasks), facts.totalMs);
  return {
    runId: facts.runId,
    mode: facts.mode,
    workload: facts.workload,
    seed: facts.seed,
    coordinatorPid: process.pid,
    hostCores: facts.hostCores,
    parallelism: facts.parallelism,
    totalMs: round1(facts.totalMs),
    idealMs: ideal,
    overheadMs: round1(facts.totalMs - ideal),
    speedup,
    efficiency: ratio(speedup, facts.parallelism),
    tasks: facts.tasks.map((task) => ({
      ...task,
      waitMs: round1(task.waitMs),
      startMs: round1(task.startMs),
      finishMs: round1(task.finishMs),
    })),
  };
}

export function buildCompareReport(reports: RunReport[]): CompareReport {
  const first = reports[0];
  if (!first) throw new Error('a comparison needs at least one run');
  const sequential = reports.find((report) => report.mode === 'sequential');
  const table = reports.map((report) => {
    const speedup = sequential ? ratio(sequential.totalMs, report.totalMs) : report.speedup;
    return {
      mode: report.mode,
      totalMs: report.totalMs,
      idealMs: report.idealMs,
      overheadMs: report.overheadMs,
      parallelism: report.parallelism,
      speedup,
      efficiency: ratio(speedup, report.parallelism),
    };
  });
  return {
    runId: first.runId,
    mode: 'compare',
    workload: first.workload,
    seed: first.seed,
    coordinatorPid: process.pid,
    hostCores: first.hostCores,
    table,
    runs: Object.fromEntries(reports.map((report) => [report.mode, report])),
  };
}
