import { describe, expect, it } from 'vitest';
import {
  buildCompareReport,
  buildRunReport,
  compareReportSchema,
  idealMs,
  runReportSchema,
  simulationReportSchema,
  type RunFacts,
} from './report.js';

const tasks = [
  { name: 'a', durationMs: 300, host: 'here', pid: 1, threadId: 0, waitMs: 0, startMs: 0, finishMs: 301 },
  { name: 'b', durationMs: 500, host: 'here', pid: 2, threadId: 0, waitMs: 0, startMs: 2.04, finishMs: 503.96 },
];
const facts = (mode: RunFacts['mode'], totalMs: number, parallelism: number): RunFacts => ({
  runId: 'run-1',
  mode,
  workload: 'io',
  seed: 7,
  hostCores: 2,
  parallelism,
  totalMs,
  tasks,
});

describe('timing report', () => {
  it('takes the sum as the ideal one after another and the max side by side', () => {
    expect(idealMs('sequential', tasks)).toBe(800);
    expect(idealMs('processes', tasks)).toBe(500);
    expect(idealMs('async', [])).toBe(0);
  });

  it('reports overhead, speedup against the sum, and efficiency per unit of parallelism', () => {
    const report = buildRunReport(facts('processes', 512.345, 2));
    expect(report).toMatchObject({
      totalMs: 512.3,
      idealMs: 500,
      overheadMs: 12.3,
      speedup: 1.56,
      efficiency: 0.78,
      seed: 7,
      hostCores: 2,
    });
    expect(report.tasks[1]).toMatchObject({ startMs: 2, finishMs: 504 });
    expect(report.coordinatorPid).toBe(process.pid);
  });

  it('compares every mode against the sequential run of the same comparison', () => {
    const sequential = buildRunReport(facts('sequential', 810, 1));
    const processes = buildRunReport(facts('processes', 540, 2));
    const comparison = buildCompareReport([sequential, processes]);
    expect(comparison.table).toEqual([
      { mode: 'sequential', totalMs: 810, idealMs: 800, overheadMs: 10, parallelism: 1, speedup: 1, efficiency: 1 },
      { mode: 'processes', totalMs: 540, idealMs: 500, overheadMs: 40, parallelism: 2, speedup: 1.5, efficiency: 0.75 },
    ]);
    expect(Object.keys(comparison.runs)).toEqual(['sequential', 'processes']);
  });

  it('without a sequential run, compares against the sum of durations', () => {
    const comparison = buildCompareReport([buildRunReport(facts('async', 500, 2))]);
    expect(comparison.table[0]?.speedup).toBe(1.6);
  });

  it('builds reports that fit their schemas, and the schemas refuse a field they do not describe', () => {
    const runId = '6f1c2a4e-8b1d-4c3e-9f7a-2b5d8e0c1a3f';
    const sequential = buildRunReport({ ...facts('sequential', 810, 1), runId });
    const comparison = buildCompareReport([sequential, buildRunReport({ ...facts('processes', 540, 2), runId })]);
    expect(runReportSchema.parse(sequential)).toEqual(sequential);
    expect(compareReportSchema.parse(comparison)).toEqual(comparison);
    expect(simulationReportSchema.safeParse(comparison).success).toBe(true);
    expect(runReportSchema.safeParse({ ...sequential, undocumented: 1 }).success).toBe(false);
  });
});
