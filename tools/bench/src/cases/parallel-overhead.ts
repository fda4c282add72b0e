import { CONCURRENT_MODES } from '../options.js';
import { pythonTasks } from '../python-anchors.js';
import { row, type BenchRow } from '../rows.js';
import { anchorFigure, joinNotes, logRow, tasksOf, type CaseContext } from './context.js';

export const PYTHON_PROCESSES = 'python Process per task';

/** The label of a mode, saying which mode stood in for it. */
export function modeLabel(mode: string, sent: string): string {
  return sent === mode ? mode : `${mode} (sent as ${sent})`;
}

/** How many OS processes ran the tasks: one per task, a pool's few, or the coordinator alone. */
export function pidsNote(tasks: readonly { pid: number }[]): string {
  const pids = new Set(tasks.map((t) => t.pid)).size;
  return `${pids} ${pids === 1 ? 'pid' : 'pids'}`;
}

/**
 * Parallel overhead (total minus the longest task) of N IO tasks of the same
 * duration, per concurrent mode, against Python's Process per task.
 */
export async function parallelOverheadCase(ctx: CaseContext): Promise<BenchRow[]> {
  const { parallelCounts, parallelTaskMs: ms } = ctx.plan;
  const rows: BenchRow[] = [];
  for (const count of parallelCounts) {
    ctx.signal.throwIfAborted();
    const python = ctx.python
      ? await anchorFigure(
          'python',
          () => pythonTasks('processes', count, ms, ctx.signal),
          (r) => r.overheadMs,
        )
      : { value: null, note: 'python3 not found' };
    for (const mode of CONCURRENT_MODES) {
      const base = {
        id: `parallel-overhead/${count}/${mode}`,
        group: 'parallel overhead',
        unit: 'ms' as const,
        better: 'lower' as const,
        anchor: { name: PYTHON_PROCESSES, value: python.value },
      };
      const outcome = await ctx.client.simulate(mode, tasksOf(count, ms));
      const label = modeLabel(mode, ctx.client.sentModeFor(mode));
      const what = `${count} x ${ms} ms, ${label}`;
      const built = outcome.ok
        ? row({
            ...base,
            what,
            project: outcome.report.overheadMs,
            note: joinNotes(pidsNote(outcome.report.tasks), python.note),
            params: {
              count,
              durationMs: ms,
              mode,
              sent: outcome.modeSent,
              idealMs: outcome.report.idealMs,
              totalMs: outcome.report.totalMs,
            },
          })
        : row({
            ...base,
            what,
            project: null,
            note: joinNotes(`n/a: ${outcome.reason}`, python.note),
            params: { count, durationMs: ms, mode },
          });
      logRow(ctx, built);
      rows.push(built);
    }
  }
  return rows;
}
