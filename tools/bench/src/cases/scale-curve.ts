import { CONCURRENT_MODES, type BenchMode } from '../options.js';
import { pythonTasks } from '../python-anchors.js';
import { row, type BenchRow } from '../rows.js';
import type { ChartSeries } from '../svg-chart.js';
import { anchorFigure, joinNotes, logRow, tasksOf, type CaseContext } from './context.js';
import { modeLabel, PYTHON_PROCESSES } from './parallel-overhead.js';

export const CURVE_MODES: readonly BenchMode[] = ['sequential', ...CONCURRENT_MODES];

/** Total time against task count, per mode; against Python's sequential run or Process per task on the same tasks. */
export async function scaleCurveCase(ctx: CaseContext): Promise<BenchRow[]> {
  const { curveCounts, curveTaskMs: ms, sequentialCurveMaxSumMs: maxSum } = ctx.plan;
  const rows: BenchRow[] = [];
  for (const count of curveCounts) {
    ctx.signal.throwIfAborted();
    const sequentialSkip =
      count * ms > maxSum ? `skipped: the sum of ${(count * ms) / 1000} s is too long for the bench (sequential total = the sum)` : null;
    const noPython = { value: null, note: 'python3 not found' };
    const pythonParallel = ctx.python
      ? await anchorFigure(
          'python',
          () => pythonTasks('processes', count, ms, ctx.signal),
          (r) => r.totalMs,
        )
      : noPython;
    const pythonSequential = sequentialSkip
      ? { value: null }
      : ctx.python
        ? await anchorFigure(
            'python',
            () => pythonTasks('sequential', count, ms, ctx.signal),
            (r) => r.totalMs,
          )
        : noPython;
    for (const mode of CURVE_MODES) {
      const python = mode === 'sequential' ? pythonSequential : pythonParallel;
      const base = {
        id: `scale-curve/${count}/${mode}`,
        group: 'scale curve',
        unit: 'ms' as const,
        better: 'lower' as const,
        anchor: { name: mode === 'sequential' ? 'python sequential' : PYTHON_PROCESSES, value: python.value },
      };
      const skipped = mode === 'sequential' ? sequentialSkip : null;
      const outcome = skipped ? ({ ok: false, reason: skipped } as const) : await ctx.client.simulate(mode, tasksOf(count, ms));
      const what = `total, ${count} x ${ms} ms, ${modeLabel(mode, ctx.client.sentModeFor(mode))}`;
      const built = outcome.ok
        ? row({
            ...base,
            what,
            project: outcome.report.totalMs,
            note: joinNotes(`ideal ${outcome.report.idealMs} ms`, python.note),
            params: { count, durationMs: ms, mode, sent: outcome.modeSent, idealMs: outcome.report.idealMs },
          })
        : row({
            ...base,
            what,
            project: null,
            note: joinNotes(outcome.reason.startsWith('skipped') ? outcome.reason : `n/a: ${outcome.reason}`, python.note),
            params: { count, durationMs: ms, mode },
          });
      logRow(ctx, built);
      rows.push(built);
    }
  }
  return rows;
}

/** The chart's lines: one per mode measured, the Python anchors and the ideal side-by-side total (dashed). */
export function curveSeries(rows: readonly BenchRow[], taskMs: number): ChartSeries[] {
  const curve = rows.filter((r) => r.group === 'scale curve');
  const points = (pick: (r: BenchRow) => number | null, keep: (r: BenchRow) => boolean) =>
    curve
      .filter(keep)
      .map((r) => ({ x: Number(r.params['count']), y: pick(r) }))
      .filter((p): p is { x: number; y: number } => p.y !== null);
  const modes: ChartSeries[] = CURVE_MODES.map((mode) => ({
    name: modeLabel(mode, String(curve.find((r) => r.params['mode'] === mode && r.params['sent'])?.params['sent'] ?? mode)),
    points: points(
      (r) => r.project,
      (r) => r.params['mode'] === mode,
    ),
  })).filter((s) => s.points.length > 0);
  const counts = [...new Set(curve.map((r) => Number(r.params['count'])))];
  return [
    ...modes,
    {
      name: 'python sequential',
      dashed: true,
      points: points(
        (r) => r.anchor.value,
        (r) => r.params['mode'] === 'sequential',
      ),
    },
    {
      name: PYTHON_PROCESSES,
      dashed: true,
      points: points(
        (r) => r.anchor.value,
        (r) => r.params['mode'] === 'processes',
      ),
    },
    { name: `ideal side by side (${taskMs} ms)`, dashed: true, points: counts.map((x) => ({ x, y: taskMs })) },
  ];
}
