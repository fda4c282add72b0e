import { decodeMessage, encodeMessage } from '@concurrency-lab/nats';
import type { Logger } from '@concurrency-lab/logger';
import {
  correlationOf,
  WRITER_QUEUE_GROUP,
  WRITER_REQUEST_SUBJECT,
  writeRequestSchema,
  type WriteReply,
  type WriteRequest,
  type WriterObserver,
} from '@concurrency-lab/queue';
import type { JetStreamClient } from '@nats-io/jetstream';
import { extractTraceContext } from '@concurrency-lab/tracing';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { Context } from '@opentelemetry/api';
import { itemSinks } from './item-sink.js';
import { inWriteRunSpan } from './item-tracing.js';
import { RunHeartbeat } from './run-heartbeat.js';
import { writeRun } from './write-run.js';

export interface WriterOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  logger: Logger;
  /** Attempts per item before the run is reported failed. */
  publishAttempts?: number;
  /** Publishes awaiting their JetStream ack at once. */
  window?: number;
  /** How often a writer says it is still writing a run. */
  heartbeatMs?: number;
  /** Told of every item written (the service's metrics). */
  observer?: WriterObserver;
}

export interface WriterService {
  /** Stops taking runs, ends the runs in flight after the items being published, and resolves when they have reported. */
  stop(): Promise<void>;
}

function reply(message: Msg, answer: WriteReply): void {
  message.respond(encodeMessage(answer));
}

/** The request in a message, or undefined (answered) when it is malformed. */
function requestOf(message: Msg, logger: Logger): WriteRequest | undefined {
  try {
    return decodeMessage(writeRequestSchema, message.data);
  } catch (error) {
    logger.warn({ err: error, ...correlationOf(message) }, 'malformed write request');
    reply(message, { accepted: false, error: 'malformed write request' });
    return undefined;
  }
}

/**
 * The writer service's work: answer run requests on WRITER_REQUEST_SUBJECT
 * (one writer of the queue group gets each) and write each run's items with
 * the sink of its transport.
 */
export function startWriter(options: WriterOptions): WriterService {
  const { nc, js, logger } = options;
  const sinks = itemSinks(nc, js, options.publishAttempts ?? 8, logger);
  const subscription = nc.subscribe(WRITER_REQUEST_SUBJECT, { queue: WRITER_QUEUE_GROUP });
  const runs = new Set<Promise<void>>();
  const stopping = new AbortController();

  const start = (request: WriteRequest, requestId: string | undefined, parent: Context) => {
    const runLogger = logger.child({ runId: request.runId, ...(requestId && { requestId }) });
    const heartbeat = new RunHeartbeat(nc, request.runId, runLogger, options.heartbeatMs ?? 1_000);
    const writing = {
      js,
      sink: sinks[request.transport],
      heartbeat,
      logger: runLogger,
      window: options.window ?? 256,
      observer: options.observer,
    };
    const run: Promise<void> = inWriteRunSpan(request, parent, () => writeRun(request, writing, stopping.signal)).finally(() =>
      runs.delete(run),
    );
    runs.add(run);
  };

  const serving = (async () => {
    for await (const message of subscription) {
      const request = requestOf(message, logger);
      if (!request) continue;
      if (stopping.signal.aborted) {
        reply(message, { accepted: false, error: 'writer is shutting down' });
        continue;
      }
      reply(message, { accepted: true, writerPid: process.pid });
      start(request, correlationOf(message).requestId, extractTraceContext(message.headers));
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await subscription.drain();
      await serving;
      await Promise.all(runs);
    },
  };
}
