import type { JetStreamManager } from '@nats-io/jetstream';
import { QUEUE_STREAM, READER_CONSUMER, type Transport } from './subjects.js';

/** What a writer tells whoever watches it (the service's metrics): each item it wrote. */
export interface WriterObserver {
  /** An item stored (JetStream) or sent (core); `duplicate`: JetStream already had it from an earlier attempt. */
  itemWritten(transport: Transport, duplicate: boolean): void;
}

/** What a reader tells whoever watches it. */
export interface ReaderObserver {
  /** An item read; a deliveryCount above 1 means JetStream redelivered it. */
  itemRead(transport: Transport, deliveryCount: number): void;
  /** A redelivered item that some reader had already read: acked without reading it again. */
  alreadyRead(): void;
  /** A message on an item subject that is not an item: discarded. */
  malformedItem(): void;
  /** An item given back unread on purpose (the reader was stopping), for another reader to take at once. */
  itemHandedBack(): void;
}

export interface ConsumerLag {
  /** Items in the stream not yet delivered to any reader. */
  pending: number;
  /** Items delivered to a reader and not yet acked. */
  ackPending: number;
}

/** How far the readers are behind: asked when metrics are scraped. */
export async function consumerLag(jsm: JetStreamManager): Promise<ConsumerLag> {
  const info = await jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER);
  return { pending: info.num_pending, ackPending: info.num_ack_pending };
}
