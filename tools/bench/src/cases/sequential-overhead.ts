import { pythonTasks } from '../python-anchors.js';
import { row, type BenchRow } from '../rows.js';
import { anchorFigure, joinNotes, logRow, tasksOf, type CaseContext } from './context.js';

/** Sequential overhead (total minus the sum) of N short tasks, against Python running them one after another. */
export async function sequentialOverheadCase(ctx: CaseContext): Promise<BenchRow[]> {
  const { sequentialCount: count, sequentialTaskMs: ms } = ctx.plan;
  const python = ctx.python
    ? await anchorFigure(
        'python',
        () => pythonTasks('sequential', count, ms, ctx.signal),
        (r) => r.overheadMs,
      )
    : { value: null, note: 'python3 not found' };
  const outcome = await ctx.client.simulate('sequential', tasksOf(count, ms));
  const base = {
    id: `sequential-overhead/${count}`,
    group: 'sequential overhead',
    what: `${count} x ${ms} ms, sequential`,
    unit: 'ms' as const,
    better: 'lower' as const,
    anchor: { name: 'python sequential', value: python.value },
  };
  const built = outcome.ok
    ? row({
        ...base,
        project: outcome.report.overheadMs,
        note: python.note,
        params: { count, durationMs: ms, mode: 'sequential', idealMs: outcome.report.idealMs },
      })
    : row({
        ...base,
        project: null,
        note: joinNotes(`n/a: ${outcome.reason}`, python.note),
        params: { count, durationMs: ms, mode: 'sequential' },
      });
  logRow(ctx, built);
  return [built];
}
