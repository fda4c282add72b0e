import type { ReadinessCheck } from '@concurrency-lab/lifecycle';
import { consumerCheck, streamsCheck } from '@concurrency-lab/nats';
import type { JetStreamManager } from '@nats-io/jetstream';
import { EVENTS_STREAM, QUEUE_STREAM, READER_CONSUMER } from './subjects.js';

/**
 * What a service in this role needs of the queue, as openQueue set it up for
 * that role: the queue and events streams (without them a service has nowhere
 * to write, read or report), and for a reader the durable consumer the
 * readers share (without it a reader fetches nothing).
 */
export function queueReadinessChecks(jsm: JetStreamManager, role: 'writer' | 'reader' | 'coordinator'): ReadinessCheck[] {
  const streams = streamsCheck(jsm, 'streams', [QUEUE_STREAM, EVENTS_STREAM]);
  return role === 'reader' ? [streams, consumerCheck(jsm, 'consumer', QUEUE_STREAM, READER_CONSUMER)] : [streams];
}
