import type { Logger } from '@concurrency-lab/logger';
import { epochNow } from '@concurrency-lab/clock';
import type { QueueItem, ReadRecord } from '@concurrency-lab/queue';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Reads one item: the lesson's read is a wait of readDelayMs. Stopping cuts
 * it short (the promise rejects with the signal's reason), so the caller hands
 * the item back rather than outlast the shutdown grace period. A read without
 * a wait returns its record at once: no promise per item on the quick path.
 */
export function readItem(item: QueueItem, deliveryCount: number, logger: Logger, signal: AbortSignal): ReadRecord | Promise<ReadRecord> {
  const readStartedAt = epochNow();
  // A read that takes time is logged as it starts; a quick one only in its burst's "items read" line.
  if (item.readDelayMs === 0) {
    logger.debug({ runId: item.runId, seq: item.seq, item: item.item, deliveryCount }, 'read started');
    return recordOf(item, deliveryCount, readStartedAt);
  }
  logger.info({ runId: item.runId, seq: item.seq, item: item.item, deliveryCount }, 'read started');
  return sleep(item.readDelayMs, undefined, { signal }).then(() => recordOf(item, deliveryCount, readStartedAt));
}

function recordOf(item: QueueItem, deliveryCount: number, readStartedAt: number): ReadRecord {
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
