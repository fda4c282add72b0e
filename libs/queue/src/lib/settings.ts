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
import { EVENT_SUBJECT_ROOT, ITEM_SUBJECT_ROOT, QUEUE_STREAM, EVENTS_STREAM, READER_CONSUMER } from './subjects.js';

/** How long a reader may hold an item before JetStream offers it to another reader. Long reads send in-progress acks. */
export const DEFAULT_ACK_WAIT_MS = 30_000;
/**
 * A publish repeated within this window is recognised by its message id and
 * stored once: it covers a retried publish, and a retried run, for as long as
 * the run's events are kept.
 */
export const DUPLICATE_WINDOW_MS = 60 * 60 * 1000;
/** Events are published once each; the window only guards a writer's end event against a retried publish. */
const EVENTS_DUPLICATE_WINDOW_MS = 120_000;
/** Deliveries of one item before JetStream gives up on it: a poison message cannot loop forever. */
export const MAX_DELIVER = 10;
/** Pauses before a redelivery after an unacked delivery: quick first, slower if the item keeps failing. */
export const REDELIVERY_BACKOFF_MS = [1, 2, 5, 10, 20, 30, 60, 60, 60].map((seconds) => seconds * 1000);
export const MAX_ITEM_MESSAGE_BYTES = 16 * 1024;
/** How long a run's events are kept: long enough to retry a failed run and still see what was read. */
export const EVENTS_MAX_AGE_MS = 60 * 60 * 1000;

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
    max_msg_size: MAX_ITEM_MESSAGE_BYTES,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: 1,
  };
}

/**
 * The events stream: what writers and readers report about each run. The
 * coordinator replays a run's events from here, so it misses none across a
 * reconnect, a NATS restart or a retried run. Every read report has a subject
 * of its own; a read reported twice (a reader died between reporting and
 * acking) is stored twice and counted once by the coordinator, by its seq. One
 * message per subject keeps only the last of a run's writer-finished events.
 */
export function eventsStreamConfig(): Partial<StreamConfig> & { name: string } {
  return {
    name: EVENTS_STREAM,
    subjects: [`${EVENT_SUBJECT_ROOT}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_msgs_per_subject: 1,
    max_age: nanos(EVENTS_MAX_AGE_MS),
    max_bytes: 512 * 1024 * 1024,
    duplicate_window: nanos(EVENTS_DUPLICATE_WINDOW_MS),
    num_replicas: 1,
  };
}

/**
 * The durable pull consumer all readers share: each item goes to one reader,
 * is redelivered (after a back-off) if that reader does not ack within the
 * ack wait, and survives every reader being down.
 */
export function readerConsumerConfig(ackWaitMs = DEFAULT_ACK_WAIT_MS): Partial<ConsumerConfig> & { durable_name: string } {
  return {
    durable_name: READER_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(ackWaitMs),
    max_deliver: MAX_DELIVER,
    backoff: REDELIVERY_BACKOFF_MS.slice(0, MAX_DELIVER - 1).map((ms) => nanos(Math.max(ms, ackWaitMs))),
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${ITEM_SUBJECT_ROOT}.>`,
    max_ack_pending: 10_000,
  };
}
