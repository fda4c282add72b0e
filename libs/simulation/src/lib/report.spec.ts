import { describe, expect, it } from 'vitest';
import { buildCompareReport, buildRunReport, idealMs } from './report.js';

const tasks = [
  { name: 'a', durationMs: 300, pid: 1, startMs: 0, finishMs: 301 },
  { name: 'b', durationMs: 500, pid: 2, startMs: 2.04, finishMs: 503.96 },
];

describe('timing report', () => {
  it('takes the sum as the ideal one after another and the max side by side', () => {
    expect(idealMs('sequential', tasks)).toBe(800);
    expect(idealMs('parallel', tasks)).toBe(500);
    expect(idealMs('parallel', [])).toBe(0);
  });

  it('reports overhead as total minus ideal, rounded to 0.1 ms', () => {
    const report = buildRunReport('run-1', 'parallel', 512.345, tasks);
    expect(report).toMatchObject({ runId: 'run-1', mode: 'parallel', totalMs: 512.3, idealMs: 500, overheadMs: 12.3 });
    expect(report.tasks[1]).toMatchObject({ startMs: 2, finishMs: 504 });
    expect(report.coordinatorPid).toBe(process.pid);
  });

  it('compares measured and ideal speedups', () => {
    const sequential = buildRunReport('run-2', 'sequential', 810, tasks);
    const parallel = buildRunReport('run-2', 'parallel', 540, tasks);
    const comparison = buildCompareReport(sequential, parallel);
    expect(comparison.speedup).toBe(1.5);
    expect(comparison.idealSpeedup).toBe(1.6);
    expect(comparison.mode).toBe('compare');
  });
});
