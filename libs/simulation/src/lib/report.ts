import { z } from 'zod';
import { RUN_MODES, type RunMode } from './request.js';
import type { DownloadTask } from './tasks.js';
import { WORKLOADS, type Workload } from './workload.js';

/*
 * The reports are zod schemas, their types inferred from them: the same
 * schemas describe the answers in the coordinator's OpenAPI document. Strict
 * objects, so a field added here but not to the schema fails that
 * document's test instead of going undescribed.
 */

const msSchema = z.number().meta({ description: 'Milliseconds, to one decimal.' });
const pidSchema = z.number().int().positive();

/** One task on its run's timeline; offsets in ms from the run's start. */
export const taskTimingSchema = z
  .strictObject({
    name: z.string(),
    durationMs: z.number().int().min(0).meta({ description: 'How long the download takes, after scaling.' }),
    host: z.string().min(1).meta({ description: 'The host (its hostname) of the process the task ran in.' }),
    pid: pidSchema.meta({ description: 'The process the task ran in.' }),
    threadId: z.number().int().min(0).meta({ description: "0 for a process's main thread." }),
    waitMs: msSchema.meta({ description: 'When the task got its worker, process, thread or turn.' }),
    startMs: msSchema,
    finishMs: msSchema,
    attempts: z.number().int().min(1).optional().meta({
      description:
        'Distributed mode: how many times the task was handed to a downloader; more than 1 means a downloader died holding it and another ran it again.',
    }),
  })
  .meta({ id: 'TaskTiming', description: "One task on its run's timeline; offsets in ms from the run's start." });
export type TaskTiming = z.infer<typeof taskTimingSchema>;

const runModeSchema = z.enum(RUN_MODES);
const workloadSchema = z.enum(WORKLOADS);

export const runReportSchema = z
  .strictObject({
    runId: z.uuid(),
    mode: runModeSchema,
    workload: workloadSchema,
    seed: z.number().int().min(0),
    coordinatorPid: pidSchema,
    hostCores: z.number().int().positive(),
    parallelism: z.number().int().positive().meta({ description: 'How many tasks this mode lets run at once here.' }),
    totalMs: msSchema.meta({ description: 'Wall-clock time of the whole run.' }),
    idealMs: z
      .number()
      .meta({ description: 'What the model promises: the sum of durations one after another, the longest one side by side.' }),
    overheadMs: msSchema.meta({ description: 'totalMs - idealMs: what running the model itself cost.' }),
    speedup: z.number().meta({ description: 'sum of durations / totalMs: how many times faster than one after another.' }),
    efficiency: z.number().meta({ description: 'speedup / parallelism: how much of the parallelism paid off.' }),
    tasks: z.array(taskTimingSchema),
  })
  .meta({ id: 'RunReport', description: 'One mode run over the tasks.' });
export type RunReport = z.infer<typeof runReportSchema>;

export const compareRowSchema = z
  .strictObject({
    mode: runModeSchema,
    totalMs: z.number(),
    idealMs: z.number(),
    overheadMs: z.number(),
    parallelism: z.number().int().positive(),
    speedup: z.number().meta({
      description: 'Against the sequential run of the same comparison when there is one, otherwise against the sum of durations.',
    }),
    efficiency: z.number(),
  })
  .meta({ id: 'CompareRow', description: 'One row of a comparison.' });
export type CompareRow = z.infer<typeof compareRowSchema>;

export const compareReportSchema = z
  .strictObject({
    runId: z.uuid(),
    mode: z.literal('compare'),
    workload: workloadSchema,
    seed: z.number().int().min(0),
    coordinatorPid: pidSchema,
    hostCores: z.number().int().positive(),
    table: z.array(compareRowSchema).min(1),
    runs: z.partialRecord(runModeSchema, runReportSchema).meta({ description: "Each mode's own report, by mode, in the table's order." }),
  })
  .meta({ id: 'CompareReport', description: 'The same tasks run in several modes, side by side.' });
export type CompareReport = z.infer<typeof compareReportSchema>;

export const simulationReportSchema = z.union([runReportSchema, compareReportSchema]).meta({ id: 'SimulationReport' });
export type SimulationReport = z.infer<typeof simulationReportSchema>;

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
