import { ensureConsumer, ensureStream } from '@concurrency-lab/nats';
import type { JetStreamManager } from '@nats-io/jetstream';
import { eventsStreamConfig, queueStreamConfig, readerConsumerConfig } from './settings.js';
import { QUEUE_STREAM } from './subjects.js';

/**
 * Creates the queue and events streams, or brings existing ones to these
 * settings. Safe to call from every service at every start: adding an
 * identical stream is a no-op for JetStream, so writer and reader may race here.
 * JetStream moves a stream between replica counts itself (R1 -> R3 adds
 * copies, R3 -> R1 drops them), so another NATS_REPLICAS is an update too.
 */
export async function ensureQueueStreams(jsm: JetStreamManager, replicas = 1): Promise<void> {
  await ensureStream(jsm, queueStreamConfig(replicas));
  await ensureStream(jsm, eventsStreamConfig(replicas));
}

/** Creates the durable reader consumer, or updates it to these settings. */
export async function ensureReaderConsumer(jsm: JetStreamManager, ackWaitMs?: number, replicas = 1): Promise<void> {
  await ensureConsumer(jsm, QUEUE_STREAM, readerConsumerConfig(ackWaitMs, replicas));
}
