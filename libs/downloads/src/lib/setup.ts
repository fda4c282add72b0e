import { ensureConsumer, ensureStream } from '@concurrency-lab/nats';
import type { ReadinessCheck } from '@concurrency-lab/lifecycle';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { DOWNLOADER_CONSUMER, DOWNLOADS_STREAM } from './protocol.js';
import { downloaderConsumerConfig, downloadsStreamConfig } from './settings.js';

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

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
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (error) {
    throw new Error(`JetStream is not available on the NATS server (start nats-server with -js): ${reasonOf(error)}`);
  }
  await ensureDownloadsStream(jsm, options.replicas);
  if (role === 'downloader') await ensureDownloaderConsumer(jsm, options.replicas);
  return jsm;
}

/** A look-up per probe at most this often: probes from every replica must not add up to load on the server. */
const READINESS_CACHE_MS = 1_500;

/** The tasks' stream (and for a downloader, its consumer) exists: without them a downloader gets no task. */
export function downloadsReadinessChecks(jsm: JetStreamManager, role: 'coordinator' | 'downloader'): ReadinessCheck[] {
  const stream: ReadinessCheck = {
    name: 'downloads-stream',
    cacheMs: READINESS_CACHE_MS,
    async run() {
      await jsm.streams.info(DOWNLOADS_STREAM).catch((error: unknown) => {
        throw new Error(`stream ${DOWNLOADS_STREAM} could not be looked up: ${reasonOf(error)}`);
      });
      return { stream: DOWNLOADS_STREAM };
    },
  };
  const consumer: ReadinessCheck = {
    name: 'downloads-consumer',
    cacheMs: READINESS_CACHE_MS,
    async run() {
      await jsm.consumers.info(DOWNLOADS_STREAM, DOWNLOADER_CONSUMER).catch((error: unknown) => {
        throw new Error(`consumer ${DOWNLOADER_CONSUMER} of stream ${DOWNLOADS_STREAM} could not be looked up: ${reasonOf(error)}`);
      });
      return { consumer: DOWNLOADER_CONSUMER };
    },
  };
  return role === 'downloader' ? [stream, consumer] : [stream];
}
