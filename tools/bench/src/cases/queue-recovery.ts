import type { QueueRunReport } from '@concurrency-lab/api-client';
import { reasonOf, row, type BenchRow } from '../rows.js';
import type { BenchSystem } from '../system.js';
import { joinNotes, logRow, type CaseContext } from './context.js';

/** The ack wait the case's readers run with (the shipped default): the longest a dead reader's item should stay away. */
export const RECOVERY_ACK_WAIT_MS = 5_000;
/** When, into the run, one of the three readers is killed: mid-run, holding an item. */
const KILL_AFTER_MS = 1_000;

async function queueRun(ctx: CaseContext, items: number): Promise<QueueRunReport> {
  const body = {
    items: Array.from({ length: items }, (_, i) => `recovery ${i + 1}`),
    writeDelayMs: 0,
    readDelayMs: 100,
    readerStart: 'concurrent',
  } as const;
  return ctx.client.api.queueRun(body, { timeoutMs: 120_000, signal: ctx.signal });
}

/**
 * Recovery after a reader crash: the same run twice on three readers, the
 * second with one reader killed (SIGKILL) a second in. The extra time it took
 * is the row's figure, against the ack wait: JetStream gives a dead reader's
 * item to another once the ack wait has passed, so the extra time should stay
 * around it (the survivors also read the dead reader's share).
 */
export async function queueRecoveryCase(ctx: CaseContext, system: BenchSystem): Promise<BenchRow[]> {
  const items = ctx.plan.quick ? 60 : 150;
  const what = `${items} items of 100 ms on 3 readers, one killed (kill -9) ${KILL_AFTER_MS} ms in: extra time over the same run without`;
  const base = {
    id: 'queue/recovery-after-reader-crash',
    group: 'queue recovery',
    what,
    unit: 'ms' as const,
    better: 'lower' as const,
    params: { items, ackWaitMs: RECOVERY_ACK_WAIT_MS },
  };
  const anchor = { name: 'the ack wait', value: RECOVERY_ACK_WAIT_MS };
  let result: BenchRow;
  try {
    const env = { ACK_WAIT_MS: String(RECOVERY_ACK_WAIT_MS) };
    const [victim] = await Promise.all([system.startService('reader', env), system.startService('reader', env)]);
    const baseline = await queueRun(ctx, items);
    const running = queueRun(ctx, items);
    await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS));
    victim?.child.kill('SIGKILL');
    const killed = await running;
    const lost = items - new Set(killed.timeline.map((entry) => entry.seq)).size;
    const note = joinNotes(
      `${killed.totalMs.toFixed(0)} ms with the kill, ${baseline.totalMs.toFixed(0)} ms without`,
      `${killed.redelivered} redelivered`,
      lost === 0 ? 'nothing lost' : `${lost} LOST`,
    );
    result = row({ ...base, project: Math.max(0, Math.round(killed.totalMs - baseline.totalMs)), anchor, note });
  } catch (error) {
    result = row({ ...base, project: null, anchor, note: `n/a: ${reasonOf(error)}` });
  }
  logRow(ctx, result);
  return [result];
}
