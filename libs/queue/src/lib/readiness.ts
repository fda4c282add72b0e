import type { ReadinessCheck } from '@concurrency-lab/lifecycle';
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import { EVENTS_STREAM, QUEUE_STREAM, READER_CONSUMER } from './subjects.js';

/**
 * How long a JetStream look-up answers probes: each look-up is a request to
 * the server, and a probe every few seconds from every replica must not add up
 * to load on it. A stream deleted meanwhile shows at most this late.
 */
export const READINESS_CACHE_MS = 1_500;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const notFound = (error: unknown, code: number) => error instanceof JetStreamApiError && error.code === code;

async function streamExists(jsm: JetStreamManager, stream: string): Promise<void> {
  try {
    await jsm.streams.info(stream);
  } catch (error) {
    if (notFound(error, JetStreamApiCodes.StreamNotFound)) throw new Error(`stream ${stream} not found`);
    throw new Error(`stream ${stream} could not be looked up: ${reasonOf(error)}`);
  }
}

/** The queue and events streams exist: without them a service has nowhere to write, read or report. */
export function queueStreamsCheck(jsm: JetStreamManager): ReadinessCheck {
  return {
    name: 'streams',
    cacheMs: READINESS_CACHE_MS,
    async run() {
      await Promise.all([streamExists(jsm, QUEUE_STREAM), streamExists(jsm, EVENTS_STREAM)]);
      return { streams: [QUEUE_STREAM, EVENTS_STREAM] };
    },
  };
}

/** The durable consumer the readers share exists: without it a reader fetches nothing. */
export function readerConsumerCheck(jsm: JetStreamManager): ReadinessCheck {
  return {
    name: 'consumer',
    cacheMs: READINESS_CACHE_MS,
    async run() {
      try {
        await jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER);
      } catch (error) {
        if (notFound(error, JetStreamApiCodes.ConsumerNotFound))
          throw new Error(`consumer ${READER_CONSUMER} of stream ${QUEUE_STREAM} not found`);
        if (notFound(error, JetStreamApiCodes.StreamNotFound))
          throw new Error(`stream ${QUEUE_STREAM} not found, so neither is consumer ${READER_CONSUMER}`);
        throw new Error(`consumer ${READER_CONSUMER} could not be looked up: ${reasonOf(error)}`);
      }
      return { consumer: READER_CONSUMER };
    },
  };
}

/** What a service in this role needs of the queue, as openQueue set it up for that role. */
export function queueReadinessChecks(jsm: JetStreamManager, role: 'writer' | 'reader' | 'coordinator'): ReadinessCheck[] {
  return role === 'reader' ? [queueStreamsCheck(jsm), readerConsumerCheck(jsm)] : [queueStreamsCheck(jsm)];
}
