import type { Logger } from '@concurrency-lab/logger';
import type { Context } from '@opentelemetry/api';
import { decodeQueueItem, runIdOfItemSubject, type QueueItem, type ReaderObserver, type Transport } from '@concurrency-lab/queue';

/** One item as a source delivered it, with what its transport can do with it. */
export interface Delivery {
  readonly item: QueueItem;
  /** 1 on the first delivery; more means the queue delivered it again. */
  readonly deliveryCount: number;
  readonly transport: Transport;
  /** Done with: the queue forgets the item. */
  ack(): void;
  /** Whether the transport can take the item back (core NATS cannot: it keeps nothing). */
  readonly canHandBack: boolean;
  /** Gives the item back unread, for another reader to take at once. */
  handBack(): void;
  /** A traced item's context (its publish span) and when the queue stored it; absent on most items. */
  readonly trace?: DeliveryTrace | undefined;
}

export interface DeliveryTrace {
  readonly context: Context;
  /** When the stream stored the item (epoch ms): its wait in the stream ends at delivery. */
  readonly storedAtMs: number;
}

/** What a source hands each delivery to: a promise back only when the item is not done with yet. */
export type DeliveryHandle = (delivery: Delivery) => Promise<void> | undefined;

/** Where a reader's items come from: one implementation per transport, all running side by side. */
export interface ItemSource {
  /** Hands each delivered item to `handle`, one at a time, until stopped; takes no new item while the reader's gate is closed. */
  run(handle: DeliveryHandle): Promise<void>;
  /** Takes no more items; resolves once the items already on their way have been handled. */
  stop(): Promise<void>;
}

/** How a transport's messages carry an item: JSON (JetStream) by default; throws on a message that is not one. */
export type ItemDecoder = (subject: string, data: Uint8Array) => QueueItem;
const decodeJsonItem: ItemDecoder = (_subject, data) => decodeQueueItem(data);

/** The item in a message, or undefined (logged and counted) when the message is not one. */
export function parseItem(
  message: { data: Uint8Array; subject: string },
  logger: Logger,
  observer?: ReaderObserver,
  decode: ItemDecoder = decodeJsonItem,
): QueueItem | undefined {
  try {
    return decode(message.subject, message.data);
  } catch (error) {
    // The body is unreadable, but its subject still says which run it came from.
    const runId = runIdOfItemSubject(message.subject);
    logger.error({ err: error, subject: message.subject, ...(runId && { runId }) }, 'malformed item discarded');
    observer?.malformedItem();
    return undefined;
  }
}
