import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { ITEM_SUBJECT_ROOT, QUEUE_STREAM, READER_CONSUMER } from './subjects.js';

/** How long a reader may hold an item before JetStream hands it to another reader. Long reads send in-progress acks. */
export const ACK_WAIT_MS = 30_000;
/** A retried publish within this window is recognised by its message id and stored once. */
export const DUPLICATE_WINDOW_MS = 120_000;
/** Deliveries of one item before JetStream gives up on it (a poison message cannot loop forever). */
export const MAX_DELIVER = 20;
export const MAX_MESSAGE_BYTES = 16 * 1024;

/**
 * The queue stream. Work-queue retention deletes an item once a reader acks
 * it, so the stream holds exactly the items not yet read; file storage keeps
 * them across a NATS restart; discard "new" makes a full queue refuse new
 * items instead of silently dropping unread ones.
 */
export function queueStreamConfig(): Partial<StreamConfig> & { name: string } {
  return {
    name: QUEUE_STREAM,
    subjects: [`${ITEM_SUBJECT_ROOT}.>`],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    max_msgs: 1_000_000,
    max_bytes: 1024 * 1024 * 1024,
    max_msg_size: MAX_MESSAGE_BYTES,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: 1,
  };
}

/**
 * The durable pull consumer all readers share: each item goes to one reader,
 * is redelivered if that reader does not ack within ACK_WAIT_MS, and survives
 * every reader being down.
 */
export function readerConsumerConfig(): Partial<ConsumerConfig> & { durable_name: string } {
  return {
    durable_name: READER_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(ACK_WAIT_MS),
    max_deliver: MAX_DELIVER,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${ITEM_SUBJECT_ROOT}.>`,
    max_ack_pending: 1_000,
  };
}
