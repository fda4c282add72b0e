import { openJetStreamManager } from '@concurrency-lab/nats';
import { jetstream, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
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
 * with a clear error when the server runs without JetStream, or alone while
 * more than one replica is asked for.
 */
export async function openQueue(
  nc: NatsConnection,
  role: 'writer' | 'reader' | 'coordinator',
  options: { ackWaitMs?: number; replicas?: number } = {},
): Promise<QueueHandle> {
  const jsm = await openJetStreamManager(nc);
  await ensureQueueStreams(jsm, options.replicas);
  if (role === 'reader') await ensureReaderConsumer(jsm, options.ackWaitMs, options.replicas);
  return { js: jetstream(nc), jsm };
}
