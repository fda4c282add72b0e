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

/**
 * How long a reader may hold an item without a word before JetStream offers
 * it to another reader: a dead reader's items come back this quickly. A
 * reader holding items (reading one, or waiting to) says "still working" every
 * third of it, so reads of any length keep theirs.
 */
export const DEFAULT_ACK_WAIT_MS = 5_000;
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
/**
 * How long a reader's pull stays open on the server. A pull cannot be
 * withdrawn once made: it stays registered until filled or expired, even after
 * the client stops reading it. Short, so that once readers are paused their
 * pulls are gone within this long (the coordinator waits for that before a
 * run's writer starts), and a stopping reader is done quickly.
 */
export const PULL_EXPIRES_MS = 1_000;

/** The longest pause before a redelivery, however often an item has failed. */
const MAX_BACKOFF_MS = 60_000;

/**
 * Pauses before each redelivery after an unacked delivery: the first is the
 * ack wait itself (JetStream takes the first step of a back-off as the ack
 * wait), then doubling, so an item that keeps failing is retried ever slower.
 */
export function redeliveryBackoffMs(ackWaitMs: number): number[] {
  return Array.from({ length: MAX_DELIVER - 1 }, (_, step) => Math.max(ackWaitMs, Math.min(ackWaitMs * 2 ** step, MAX_BACKOFF_MS)));
}
export const MAX_ITEM_MESSAGE_BYTES = 16 * 1024;
/** How long a run's events are kept: long enough to retry a failed run and still see what was read. */
export const EVENTS_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * The queue stream. Work-queue retention deletes an item once a reader acks
 * it, so the stream holds exactly the items not yet read; file storage keeps
 * them across a NATS restart; discard "new" makes a full queue refuse new
 * items instead of silently dropping unread ones. `replicas` (NATS_REPLICAS):
 * 1 on a single server, 3 on a three-node cluster.
 */
export function queueStreamConfig(replicas = 1): Partial<StreamConfig> & { name: string } {
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
    num_replicas: replicas,
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
export function eventsStreamConfig(replicas = 1): Partial<StreamConfig> & { name: string } {
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
    num_replicas: replicas,
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
    backoff: redeliveryBackoffMs(ackWaitMs).map(nanos),
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${ITEM_SUBJECT_ROOT}.>`,
    max_ack_pending: 10_000,
  };
}
