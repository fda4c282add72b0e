import type { JetStreamManager } from '@nats-io/jetstream';
import { eventsStreamConfig, queueStreamConfig, readerConsumerConfig } from './settings.js';
import { QUEUE_STREAM } from './subjects.js';

async function ensureStream(jsm: JetStreamManager, config: ReturnType<typeof queueStreamConfig>): Promise<void> {
  try {
    await jsm.streams.add(config);
  } catch {
    // Exists with other settings (an older version of this file): update it in place.
    const { name, ...update } = config;
    await jsm.streams.update(name, update);
  }
}

/**
 * Creates the queue and events streams, or brings existing ones to these
 * settings. Safe to call from every service at every start: adding an
 * identical stream is a no-op for JetStream, so writer and reader may race here.
 */
export async function ensureQueueStreams(jsm: JetStreamManager): Promise<void> {
  await ensureStream(jsm, queueStreamConfig());
  await ensureStream(jsm, eventsStreamConfig());
}

/** Creates the durable reader consumer, or updates it to these settings. */
export async function ensureReaderConsumer(jsm: JetStreamManager, ackWaitMs?: number): Promise<void> {
  const config = readerConsumerConfig(ackWaitMs);
  try {
    await jsm.consumers.add(QUEUE_STREAM, config);
  } catch {
    await jsm.consumers.update(QUEUE_STREAM, config.durable_name, config);
  }
}
