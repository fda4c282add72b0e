import type { ReadinessCheck } from '@concurrency-lab/lifecycle';
import { consumerCheck, ensureConsumer, ensureStream, openJetStreamManager, streamsCheck } from '@concurrency-lab/nats';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DOWNLOADER_CONSUMER, DOWNLOADS_STREAM } from './protocol.js';
import { downloaderConsumerConfig, downloadsStreamConfig } from './settings.js';

/** Creates the tasks' stream, or brings an existing one to these settings: coordinator and downloaders may race here. */
export async function ensureDownloadsStream(jsm: JetStreamManager, replicas = 1): Promise<void> {
  await ensureStream(jsm, downloadsStreamConfig(replicas));
}

/** Creates the downloaders' durable consumer, or updates it to these settings. */
export async function ensureDownloaderConsumer(jsm: JetStreamManager, replicas = 1): Promise<void> {
  await ensureConsumer(jsm, DOWNLOADS_STREAM, downloaderConsumerConfig(replicas));
}

/**
 * A service's handle on the downloads: JetStream's manager once the stream
 * (and for a downloader, its consumer) exists with this version's settings.
 */
export async function openDownloads(
  nc: NatsConnection,
  role: 'coordinator' | 'downloader',
  options: { replicas?: number } = {},
): Promise<JetStreamManager> {
  const jsm = await openJetStreamManager(nc);
  await ensureDownloadsStream(jsm, options.replicas);
  if (role === 'downloader') await ensureDownloaderConsumer(jsm, options.replicas);
  return jsm;
}

/** The tasks' stream (and for a downloader, its consumer) exists: without them a downloader gets no task. */
export function downloadsReadinessChecks(jsm: JetStreamManager, role: 'coordinator' | 'downloader'): ReadinessCheck[] {
  const stream = streamsCheck(jsm, 'downloads-stream', [DOWNLOADS_STREAM]);
  return role === 'downloader' ? [stream, consumerCheck(jsm, 'downloads-consumer', DOWNLOADS_STREAM, DOWNLOADER_CONSUMER)] : [stream];
}
