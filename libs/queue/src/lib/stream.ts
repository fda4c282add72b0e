import type { JetStreamManager } from '@nats-io/jetstream';
import { eventsStreamConfig, queueStreamConfig, readerConsumerConfig } from './settings.js';
import { QUEUE_STREAM } from './subjects.js';

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function ensureStream(jsm: JetStreamManager, config: ReturnType<typeof queueStreamConfig>): Promise<void> {
  try {
    await jsm.streams.add(config);
  } catch (addError) {
    // Exists with other settings (an older version of this file): update it in place.
    const { name, ...update } = config;
    try {
      await jsm.streams.update(name, update);
    } catch (updateError) {
      throw new Error(`stream ${name} could not be created (${reasonOf(addError)}) nor updated (${reasonOf(updateError)})`);
    }
  }
}

/**
 * Creates the queue and events streams, or brings existing ones to these
 * settings. Safe to call from every service at every start: adding an
 * identical stream is a no-op for JetStream, so writer and reader may race here.
 * The readers' consumer leaves its replicas to the stream's (num_replicas 0).
 */
export async function ensureQueueStreams(jsm: JetStreamManager, replicas = 1): Promise<void> {
  await ensureStream(jsm, queueStreamConfig(replicas));
  await ensureStream(jsm, eventsStreamConfig(replicas));
}

/** Creates the durable reader consumer, or updates it to these settings. */
export async function ensureReaderConsumer(jsm: JetStreamManager, ackWaitMs?: number): Promise<void> {
  const config = readerConsumerConfig(ackWaitMs);
  try {
    await jsm.consumers.add(QUEUE_STREAM, config);
  } catch (addError) {
    try {
      await jsm.consumers.update(QUEUE_STREAM, config.durable_name, config);
    } catch (updateError) {
      throw new Error(
        `consumer ${config.durable_name} could not be created (${reasonOf(addError)}) nor updated (${reasonOf(updateError)})`,
      );
    }
  }
}
