import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ensureQueueStreams, ensureReaderConsumer } from './stream.js';

export interface QueueHandle {
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/**
 * A service's handle on the queue: JetStream, after making sure the streams
 * (and for readers, the durable consumer) exist with this version's
 * settings, with `replicas` copies of each (the service's NATS_REPLICAS). Fails
 * with a clear error when the server runs without JetStream.
 */
export async function openQueue(
  nc: NatsConnection,
  role: 'writer' | 'reader' | 'coordinator',
  options: { ackWaitMs?: number; replicas?: number } = {},
): Promise<QueueHandle> {
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`JetStream is not available on the NATS server (start nats-server with -js): ${reason}`);
  }
  try {
    await ensureQueueStreams(jsm, options.replicas);
    if (role === 'reader') await ensureReaderConsumer(jsm, options.ackWaitMs, options.replicas);
  } catch (error) {
    throw explainReplicas(error, options.replicas);
  }
  return { js: jetstream(nc), jsm };
}

/**
 * A single nats-server quietly keeps streams at one replica but refuses a
 * consumer with more: name the setting to change rather than only the server's words.
 */
function explainReplicas(error: unknown, replicas = 1): unknown {
  if (!(error instanceof Error) || replicas === 1 || !/non-clustered mode/i.test(error.message)) return error;
  return new Error(
    `NATS_REPLICAS=${replicas} needs a JetStream cluster, but this NATS server runs alone: set NATS_REPLICAS=1 (${error.message})`,
  );
}
