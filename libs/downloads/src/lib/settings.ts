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
import { DOWNLOADER_CONSUMER, DOWNLOADS_STREAM, TASK_SUBJECT_ROOT } from './protocol.js';

/**
 * How long a downloader may hold a task without a word before JetStream hands
 * it to another: a downloader killed mid-task loses its task to another this
 * quickly. A running task is kept with an in-progress ack every third of it.
 */
export const TASK_ACK_WAIT_MS = 3_000;
/** Deliveries of one task: a task whose downloaders keep dying is given up, and the run fails naming it. */
export const TASK_MAX_DELIVER = 5;
/** How long a downloader's pull stays open: a stopping downloader is done pulling this quickly. */
export const TASK_PULL_EXPIRES_MS = 1_000;
/** How long a queued task is kept at most, whoever forgets it. */
const TASK_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The tasks' stream: work-queue retention (an acked or terminated task is
 * deleted, so it holds exactly the tasks not yet done), file storage (tasks
 * survive a NATS restart), discard-new when full, a de-duplication window for
 * a retried publish.
 */
export function downloadsStreamConfig(replicas = 1): Partial<StreamConfig> & { name: string } {
  return {
    name: DOWNLOADS_STREAM,
    subjects: [`${TASK_SUBJECT_ROOT}.>`],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    max_msgs: 100_000,
    max_bytes: 64 * 1024 * 1024,
    max_msg_size: 4 * 1024,
    max_age: nanos(TASK_MAX_AGE_MS),
    duplicate_window: nanos(120_000),
    num_replicas: replicas,
  };
}

/** The durable pull consumer the downloaders share: each task to one downloader, again to another if it dies. */
export function downloaderConsumerConfig(replicas = 1): Partial<ConsumerConfig> & { durable_name: string } {
  return {
    durable_name: DOWNLOADER_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(TASK_ACK_WAIT_MS),
    max_deliver: TASK_MAX_DELIVER,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${TASK_SUBJECT_ROOT}.>`,
    max_ack_pending: 10_000,
    num_replicas: replicas,
  };
}
