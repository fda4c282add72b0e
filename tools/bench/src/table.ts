import type { BenchRow } from './rows.js';
import type { TargetResult } from './targets.js';

export function formatFigure(value: number | null, unit: BenchRow['unit']): string {
  if (value === null) return 'n/a';
  if (unit === 'ms' || unit === 'MiB') return `${value.toFixed(1)} ${unit}`;
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? '-' : `${ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(2)}x`;
}

const HEADER = ['case', 'measured', 'this project', 'anchor (same run)', 'anchor', 'ratio', 'note'];

/** Plain-text columns; the note, often long, goes last. */
export function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((r) => [
    r.group,
    r.what,
    formatFigure(r.project, r.unit),
    r.anchor.name,
    formatFigure(r.anchor.value, r.unit),
    formatRatio(r.ratio),
    r.note ?? '',
  ]);
  const widths = HEADER.map((title, column) => Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)));
  const numeric = new Set([2, 4, 5]);
  const render = (line: readonly string[]) =>
    line
      .map((cell, column) => {
        if (column === line.length - 1) return cell;
        const width = widths[column] ?? 0;
        return numeric.has(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width, column) => '-'.repeat(column === widths.length - 1 ? Math.max(4, width) : width)).join('  ');
  return [render(HEADER), rule, ...cells.map(render)].join('\n') + '\n';
}

export function formatTargets(targets: readonly TargetResult[]): string {
  return targets.map((t) => `${t.met ? '[met]    ' : '[not met]'} ${t.description}: ${t.detail}`).join('\n') + '\n';
}
