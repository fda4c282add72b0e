import type { JetStreamManager } from '@nats-io/jetstream';
import { eventsStreamConfig, queueStreamConfig, readerConsumerConfig } from './settings.js';
import { QUEUE_STREAM } from './subjects.js';

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function ensureStream(jsm: JetStreamManager, config: ReturnType<typeof queueStreamConfig>): Promise<void> {
  try {
    await jsm.streams.add(config);
  } catch (addError) {
    // Exists with other settings (an older version of this file, another NATS_REPLICAS): update it in place.
    // JetStream moves a stream between replica counts itself (R1 -> R3 adds copies, R3 -> R1 drops them).
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
 */
export async function ensureQueueStreams(jsm: JetStreamManager, replicas = 1): Promise<void> {
  await ensureStream(jsm, queueStreamConfig(replicas));
  await ensureStream(jsm, eventsStreamConfig(replicas));
}

/** Creates the durable reader consumer, or updates it to these settings. */
export async function ensureReaderConsumer(jsm: JetStreamManager, ackWaitMs?: number, replicas = 1): Promise<void> {
  const config = readerConsumerConfig(ackWaitMs, replicas);
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
