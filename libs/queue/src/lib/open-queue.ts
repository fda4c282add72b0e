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
 * settings (`replicas`: NATS_REPLICAS, 1 by default). Fails with a clear error when the server runs without JetStream.
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
  await ensureQueueStreams(jsm, options.replicas);
  if (role === 'reader') await ensureReaderConsumer(jsm, options.ackWaitMs);
  return { js: jetstream(nc), jsm };
}
