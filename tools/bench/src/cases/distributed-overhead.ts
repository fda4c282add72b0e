import { row, type BenchRow } from '../rows.js';
import { BENCH_DOWNLOADER_CONCURRENCY, type BenchSystem } from '../system.js';
import { joinNotes, logRow, tasksOf, type CaseContext } from './context.js';
import { pidsNote } from './parallel-overhead.js';

/** The figure: 50 tasks of 200 ms over 4 downloader processes. */
export const DISTRIBUTED_COUNT = 50;
export const DISTRIBUTED_TASK_MS = 200;
export const DISTRIBUTED_DOWNLOADERS = 4;

/**
 * Distributed overhead: N IO tasks handed over NATS (the JetStream work queue)
 * to 4 local downloader processes, total minus the longest task, against the
 * same tasks in processes mode (one OS process per task on the coordinator's
 * host) in the same run. The system starts one downloader; this adds three.
 */
export async function distributedOverheadCase(ctx: CaseContext, system: BenchSystem): Promise<BenchRow[]> {
  await Promise.all(Array.from({ length: DISTRIBUTED_DOWNLOADERS - 1 }, () => system.startService('downloader')));
  const tasks = tasksOf(DISTRIBUTED_COUNT, DISTRIBUTED_TASK_MS);
  // Warm-up: the downloaders' first pulls and the coordinator's first publishes.
  await ctx.client.simulate('distributed', tasksOf(8, 0));
  const processes = await ctx.client.simulate('processes', tasks);
  const distributed = await ctx.client.simulate('distributed', tasks);
  const base = {
    id: `distributed-overhead/${DISTRIBUTED_COUNT}`,
    group: 'distributed overhead',
    what: `${DISTRIBUTED_COUNT} x ${DISTRIBUTED_TASK_MS} ms over ${DISTRIBUTED_DOWNLOADERS} downloader processes (${BENCH_DOWNLOADER_CONCURRENCY} slots each)`,
    unit: 'ms' as const,
    better: 'lower' as const,
    anchor: { name: 'processes mode, same tasks', value: processes.ok ? processes.report.overheadMs : null },
  };
  const anchorNote = processes.ok ? undefined : `processes n/a: ${processes.reason}`;
  const built = distributed.ok
    ? row({
        ...base,
        project: distributed.report.overheadMs,
        note: joinNotes(
          pidsNote(distributed.report.tasks),
          `${new Set(distributed.report.tasks.map((task) => task.host)).size} host(s)`,
          `retried ${distributed.report.tasks.filter((task) => (task.attempts ?? 1) > 1).length}`,
          anchorNote,
        ),
        params: {
          count: DISTRIBUTED_COUNT,
          durationMs: DISTRIBUTED_TASK_MS,
          mode: 'distributed',
          downloaders: DISTRIBUTED_DOWNLOADERS,
          idealMs: distributed.report.idealMs,
          totalMs: distributed.report.totalMs,
          tasksReported: distributed.report.tasks.length,
        },
      })
    : row({
        ...base,
        project: null,
        note: joinNotes(`n/a: ${distributed.reason}`, anchorNote),
        params: { count: DISTRIBUTED_COUNT, durationMs: DISTRIBUTED_TASK_MS, mode: 'distributed' },
      });
  logRow(ctx, built);
  return [built];
}
