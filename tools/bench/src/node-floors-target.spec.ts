import { describe, expect, it } from 'vitest';
import { row, type BenchRow } from './rows.js';
import { evaluateTargets } from './targets.js';

const againstFloor = (count: number, mode: 'processes' | 'threads', project: number | null, floor: number | null): BenchRow =>
  row({
    id: `node-floors/${count}/${mode}`,
    group: 'node floors',
    what: `${count} x 200 ms, ${mode} overhead, median of 3`,
    unit: 'ms',
    better: 'lower',
    project,
    anchor: { name: 'floor', value: floor },
    params: { count, durationMs: 200, mode, repetitions: 3 },
  });

const target = (rows: BenchRow[], id: string) => evaluateTargets(rows).find((t) => t.id === id);

describe('node floor targets', () => {
  it('are met when every count is within 1.25x of its floor', () => {
    const rows = [againstFloor(10, 'processes', 1_250, 1_000), againstFloor(50, 'processes', 4_000, 4_000)];
    expect(target(rows, 'processes-vs-node-floor')).toMatchObject({ met: true });
    expect(target(rows, 'processes-vs-node-floor')?.detail).toContain('10 tasks 1.25x');
  });

  it('are not met when one count is past the factor, or not measured', () => {
    const rows = [againstFloor(10, 'threads', 100, 100), againstFloor(50, 'threads', 1_260, 1_000)];
    expect(target(rows, 'threads-vs-node-floor')).toMatchObject({ met: false });
    expect(target([againstFloor(10, 'threads', null, 100)], 'threads-vs-node-floor')).toMatchObject({ met: false });
    expect(target([], 'processes-vs-node-floor')).toMatchObject({ met: false, detail: 'not measured' });
  });

  it('judge each mode against its own floor only', () => {
    const rows = [againstFloor(10, 'processes', 2_000, 1_000), againstFloor(10, 'threads', 100, 100)];
    expect(target(rows, 'processes-vs-node-floor')?.met).toBe(false);
    expect(target(rows, 'threads-vs-node-floor')?.met).toBe(true);
  });
});
