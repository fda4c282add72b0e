import type { ReadinessCheck } from '@concurrency-lab/lifecycle';
import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const notFound = (error: unknown, code: number) => error instanceof JetStreamApiError && error.code === code;

/**
 * How long a JetStream look-up answers readiness probes: each look-up is a
 * request to the server, and a probe every few seconds from every replica must
 * not add up to load on it. A stream deleted meanwhile shows at most this late.
 */
export const READINESS_CACHE_MS = 1_500;

/** JetStream's manager, or a clear error when the server runs without JetStream. */
export async function openJetStreamManager(nc: NatsConnection): Promise<JetStreamManager> {
  try {
    return await jetstreamManager(nc);
  } catch (error) {
    throw new Error(`JetStream is not available on the NATS server (start nats-server with -js): ${reasonOf(error)}`);
  }
}

/**
 * A single nats-server quietly keeps streams at one replica but refuses a
 * consumer with more: name the setting to change rather than only the server's words.
 */
function explainReplicas(error: Error, replicas: number | undefined): Error {
  if (!replicas || replicas === 1 || !/non-clustered mode/i.test(error.message)) return error;
  return new Error(
    `NATS_REPLICAS=${replicas} needs a JetStream cluster, but this NATS server runs alone: set NATS_REPLICAS=1 (${error.message})`,
  );
}

/**
 * Creates a stream, or brings an existing one to these settings (one made by
 * an older version, or with another replica count: JetStream adds or drops the
 * copies itself). Safe for every service to call at every start: adding an
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
      const error = new Error(`stream ${name} could not be created (${reasonOf(addError)}) nor updated (${reasonOf(updateError)})`);
      throw explainReplicas(error, config.num_replicas);
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
      const error = new Error(
        `consumer ${config.durable_name} could not be created (${reasonOf(addError)}) nor updated (${reasonOf(updateError)})`,
      );
      throw explainReplicas(error, config.num_replicas);
    }
  }
}

/** Throws, naming the stream, unless it exists. */
export async function streamExists(jsm: JetStreamManager, stream: string): Promise<void> {
  try {
    await jsm.streams.info(stream);
  } catch (error) {
    if (notFound(error, JetStreamApiCodes.StreamNotFound)) throw new Error(`stream ${stream} not found`);
    throw new Error(`stream ${stream} could not be looked up: ${reasonOf(error)}`);
  }
}

/** Throws, naming the consumer and its stream, unless both exist. */
export async function consumerExists(jsm: JetStreamManager, stream: string, consumer: string): Promise<void> {
  try {
    await jsm.consumers.info(stream, consumer);
  } catch (error) {
    if (notFound(error, JetStreamApiCodes.ConsumerNotFound)) throw new Error(`consumer ${consumer} of stream ${stream} not found`);
    if (notFound(error, JetStreamApiCodes.StreamNotFound))
      throw new Error(`stream ${stream} not found, so neither is consumer ${consumer}`);
    throw new Error(`consumer ${consumer} could not be looked up: ${reasonOf(error)}`);
  }
}

/** A readiness check (named `name`, looked up at most every READINESS_CACHE_MS) that these streams exist. */
export function streamsCheck(jsm: JetStreamManager, name: string, streams: readonly string[]): ReadinessCheck {
  return {
    name,
    cacheMs: READINESS_CACHE_MS,
    async run() {
      await Promise.all(streams.map((stream) => streamExists(jsm, stream)));
      return streams.length === 1 ? { stream: streams[0] } : { streams: [...streams] };
    },
  };
}

/** A readiness check (named `name`, looked up at most every READINESS_CACHE_MS) that a durable consumer exists. */
export function consumerCheck(jsm: JetStreamManager, name: string, stream: string, consumer: string): ReadinessCheck {
  return {
    name,
    cacheMs: READINESS_CACHE_MS,
    async run() {
      await consumerExists(jsm, stream, consumer);
      return { consumer };
    },
  };
}
