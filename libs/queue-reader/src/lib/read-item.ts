import type { Logger } from '@concurrency-lab/logger';
import { epochNow } from '@concurrency-lab/clock';
import type { QueueItem, ReadRecord } from '@concurrency-lab/queue';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Reads one item: the lesson's read is a wait of readDelayMs. Stopping cuts
 * it short (it throws the signal's reason), so the caller hands the item back
 * rather than outlast the shutdown grace period.
 */
export async function readItem(item: QueueItem, deliveryCount: number, logger: Logger, signal: AbortSignal): Promise<ReadRecord> {
  const readStartedAt = epochNow();
  // A read that takes time is logged as it starts; a quick one only in its burst's "items read" line.
  const startLevel = item.readDelayMs > 0 ? 'info' : 'debug';
  logger[startLevel]({ runId: item.runId, seq: item.seq, item: item.item, deliveryCount }, 'read started');
  if (item.readDelayMs > 0) await sleep(item.readDelayMs, undefined, { signal });
  // Spelled out rather than spread: this runs for every item, and object spreads are slow in V8.
  return {
    seq: item.seq,
    item: item.item,
    writtenAt: item.writtenAt,
    writerPid: item.writerPid,
    writerHost: item.writerHost,
    readStartedAt,
    readAt: epochNow(),
    deliveryCount,
  };
}
