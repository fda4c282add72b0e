import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ensureQueueStream, ensureReaderConsumer } from './stream.js';

/**
 * A service's handle on the queue: the JetStream client, after making sure the
 * stream (and for readers, the durable consumer) exists with this version's
 * settings. Fails with a clear error when the server runs without JetStream.
 */
export async function openQueue(nc: NatsConnection, role: 'writer' | 'reader'): Promise<JetStreamClient> {
  let jsm;
  try {
    jsm = await jetstreamManager(nc);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`JetStream is not available on the NATS server (start nats-server with -js): ${reason}`);
  }
  await ensureQueueStream(jsm);
  if (role === 'reader') await ensureReaderConsumer(jsm);
  return jetstream(nc);
}
