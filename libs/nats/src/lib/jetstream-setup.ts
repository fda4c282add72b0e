import type { ConsumerConfig, JetStreamManager, StreamConfig } from '@nats-io/jetstream';

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Creates a stream, or brings an existing one to these settings (one made by
 * an older version). Safe for every service to call at every start: adding an
 * identical stream is a no-op for JetStream, so services may race here.
 */
export async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.add(config);
  } catch (addError) {
    const { name, ...update } = config;
    try {
      await jsm.streams.update(name, update);
    } catch (updateError) {
      throw new Error(`stream ${name} could not be created (${reasonOf(addError)}) nor updated (${reasonOf(updateError)})`);
    }
  }
}

/** Creates a durable consumer on a stream, or updates it to these settings. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> {
  try {
    await jsm.consumers.add(stream, config);
  } catch (addError) {
    try {
      await jsm.consumers.update(stream, config.durable_name, config);
    } catch (updateError) {
      throw new Error(
        `consumer ${config.durable_name} could not be created (${reasonOf(addError)}) nor updated (${reasonOf(updateError)})`,
      );
    }
  }
}
