import { encodeMessage } from '@concurrency-lab/nats';
import type { Logger } from '@concurrency-lab/logger';
import { coreItemSubject, encodeCoreItem, itemMessageId, itemSubject, type QueueItem, type Transport } from '@concurrency-lab/queue';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where a writer puts items: one implementation per transport. */
export interface ItemSink {
  /**
   * Sends one item, with headers of its own if given (one message per item);
   * says whether the queue already had it (an earlier attempt of the run
   * stored it): at once from a sink that does not wait, else as a promise.
   */
  write(item: QueueItem, signal: AbortSignal, headers?: MsgHdrs): Promise<boolean> | boolean;
}

/**
 * JetStream: each publish awaits its ack. A failed attempt is retried with
 * the same message id, so a publish that did land but whose ack was lost is
 * not stored twice.
 */
export class JetStreamItemSink implements ItemSink {
  /** When a failed publish was last logged: a lost node fails every publish in flight at once, and one line a second says enough. */
  private lastWarnedAt = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly attempts: number,
    private readonly logger?: Logger,
  ) {}

  async write(item: QueueItem, signal: AbortSignal, headers?: MsgHdrs): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await this.js.publish(itemSubject(item.runId, 'jetstream'), encodeMessage(item), {
          // No run-id header on items: their subject and message id both carry it, and a header costs every item.
          // Only a traced item has headers of its own: its trace context.
          msgID: itemMessageId(item.runId, item.seq),
          timeout: 5_000,
          ...(headers && { headers }),
        });
        return ack.duplicate;
      } catch (error) {
        if (attempt >= this.attempts || signal.aborted) throw error;
        const retryInMs = Math.min(250 * 2 ** (attempt - 1), 4_000);
        this.warnRetry(item, attempt, retryInMs, error);
        await sleep(retryInMs, undefined, { signal });
      }
    }
  }

  private warnRetry(item: QueueItem, attempt: number, retryInMs: number, error: unknown): void {
    const now = Date.now();
    if (!this.logger || now - this.lastWarnedAt < 1_000) return;
    this.lastWarnedAt = now;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      { runId: item.runId, seq: item.seq, attempt, of: this.attempts, retryInMs, reason },
      'item not stored yet: waiting for the queue stream to answer (a NATS node down, its leader moving); retrying',
    );
  }
}

/**
 * Core NATS: fire and forget to the readers' queue group; nothing is stored,
 * so nothing is ever a duplicate, and nothing is awaited. Each item is one
 * message in the core wire format (core-items.ts in libs/queue): its subject
 * names the run and the seq, its payload is the item's bytes behind a small head.
 */
export class CoreItemSink implements ItemSink {
  constructor(private readonly nc: NatsConnection) {}

  write(item: QueueItem, _signal?: AbortSignal, headers?: MsgHdrs): boolean {
    this.nc.publish(coreItemSubject(item.runId, item.seq), encodeCoreItem(item), headers && { headers });
    return false;
  }
}

/** Both sinks of a writer, by the transport a run asks for. */
export function itemSinks(nc: NatsConnection, js: JetStreamClient, publishAttempts: number, logger?: Logger): Record<Transport, ItemSink> {
  return { jetstream: new JetStreamItemSink(js, publishAttempts, logger), core: new CoreItemSink(nc) };
}
