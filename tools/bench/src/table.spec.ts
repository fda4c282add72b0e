import { describe, expect, it } from 'vitest';
import { row } from './rows.js';
import { formatFigure, formatRatio, formatTable, formatTargets } from './table.js';

describe('formatFigure', () => {
  it('prints times and memory with one decimal and rates as whole numbers', () => {
    expect(formatFigure(12.345, 'ms')).toBe('12.3 ms');
    expect(formatFigure(134.56, 'MiB')).toBe('134.6 MiB');
    expect(formatFigure(13953.7, 'items/s')).toBe('13,954 items/s');
    expect(formatFigure(3805.2, 'req/s')).toBe('3,805 req/s');
    expect(formatFigure(null, 'ms')).toBe('n/a');
  });
});

describe('formatRatio', () => {
  it('prints two decimals, none past 100, a dash when there is none', () => {
    expect(formatRatio(0.0512)).toBe('0.05x');
    expect(formatRatio(14.52)).toBe('14.52x');
    expect(formatRatio(103.2)).toBe('103x');
    expect(formatRatio(null)).toBe('-');
  });
});

describe('formatTable', () => {
  const rows = [
    row({
      id: 'a',
      group: 'parallel overhead',
      what: '50 x 200 ms, async',
      unit: 'ms',
      better: 'lower',
      project: 2.4,
      anchor: { name: 'python Process per task', value: 46.8 },
      note: '1 pid',
      params: {},
    }),
    row({
      id: 'b',
      group: 'scale curve',
      what: 'total, 1000 x 100 ms, sequential',
      unit: 'ms',
      better: 'lower',
      project: null,
      anchor: { name: 'python sequential', value: null },
      note: 'skipped: too long',
      params: {},
    }),
  ];

  it('prints a header, a rule and one line per row, columns aligned', () => {
    const lines = formatTable(rows).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^case\s+measured\s+this project\s+anchor \(same run\)\s+anchor\s+ratio\s+note$/);
    expect(lines[1]).toMatch(/^-+( +-+)+$/);
    const ratioEnd = (lines[0] ?? '').indexOf('ratio') + 'ratio'.length;
    expect(lines[2]?.slice(0, ratioEnd).trimEnd().endsWith('0.05x')).toBe(true);
    expect(lines[3]?.slice(0, ratioEnd).trimEnd().endsWith('-')).toBe(true);
    expect(lines[2]).toContain('2.4 ms');
    expect(lines[2]?.endsWith('1 pid')).toBe(true);
    expect(lines[3]).toContain('n/a');
    expect(lines[3]?.endsWith('skipped: too long')).toBe(true);
  });
});

describe('formatTargets', () => {
  it('marks each target met or not, with its detail', () => {
    const text = formatTargets([
      { id: 'x', description: 'queue at 50%', met: false, detail: '3.6%' },
      { id: 'y', description: '50 tasks', met: true, detail: 'met by async' },
    ]);
    expect(text).toBe('[not met] queue at 50%: 3.6%\n[met]     50 tasks: met by async\n');
  });
});
