import type { Logger } from '@concurrency-lab/logger';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { epochNow } from './clock.js';
import { correlationOf, runHeaders } from './headers.js';
import { InFlightWindow } from './in-flight-window.js';
import { BurstLog } from './item-log.js';
import type { WriterObserver } from './observer.js';
import {
  decodeMessage,
  encodeMessage,
  writeRequestSchema,
  type QueueItem,
  type WriteReply,
  type WriteRequest,
  type WriterFailedEvent,
  type WriterFinishedEvent,
  type WriterHeartbeat,
} from './messages.js';
import {
  itemMessageId,
  itemSubject,
  WRITER_QUEUE_GROUP,
  WRITER_REQUEST_SUBJECT,
  writerEndSubject,
  writerHeartbeatSubject,
} from './subjects.js';

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

/**
 * Publishes one item and waits for JetStream's ack. A failed attempt is
 * retried with the same message id, so a publish that did land but whose ack
 * was lost is not stored twice. Resolves with whether JetStream already had it.
 */
async function publishItem(js: JetStreamClient, item: QueueItem, attempts: number, signal: AbortSignal): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      const ack = await js.publish(itemSubject(item.runId), encodeMessage(item), {
        // No run-id header on items: their subject and message id both carry it, and a header costs every item.
        msgID: itemMessageId(item.runId, item.seq),
        timeout: 5_000,
      });
      return ack.duplicate;
    } catch (error) {
      if (attempt >= attempts || signal.aborted) throw error;
      await sleep(Math.min(250 * 2 ** (attempt - 1), 4_000), undefined, { signal });
    }
  }
}

/**
 * Reports how the run ended, into the events stream. Retried a little, as
 * the coordinator waits for it, but bounded (about 6 s at worst) so that a
 * shutdown stays within its grace period; without it the coordinator still
 * learns from the missing heartbeat.
 */
async function publishEnd(js: JetStreamClient, request: WriteRequest, end: WriterFinishedEvent | WriterFailedEvent, kind: 'writer-finished' | 'writer-failed') {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await js.publish(writerEndSubject(request.runId, kind), encodeMessage(end), {
        msgID: `${kind}:${request.attempt}`,
        headers: runHeaders(request.runId),
        timeout: 1_500,
      });
      return;
    } catch {
      if (attempt < 3) await sleep(250 * attempt);
    }
  }
}

async function writeRun(options: WriterOptions, request: WriteRequest, signal: AbortSignal, requestId?: string): Promise<void> {
  const { nc, js } = options;
  const logger = options.logger.child({ runId: request.runId, ...(requestId && { requestId }) });
  const attempts = options.publishAttempts ?? 8;
  // A bounded window of publishes awaiting their acks: throughput without unbounded memory. Refilled
  // from half empty, so that publishes go out in bursts rather than a socket write each.
  const windowSize = options.window ?? 256;
  const window = new InFlightWindow(windowSize, { resumeAt: Math.floor(windowSize / 2) });
  const total = request.items.length;
  let written = 0;
  let duplicates = 0;
  let failure: unknown;
  const writtenLog = new BurstLog<{ seq: number; item: string; duplicate: boolean }>(logger, { one: 'item written', many: 'items written' }, ({ duplicate }) => ({
    duplicate,
  }));
  const writerHost = hostname();
  let lastBeat = 0;
  const beat = () => {
    lastBeat = Date.now();
    const heartbeat: WriterHeartbeat = { runId: request.runId, written, writerPid: process.pid };
    try {
      nc.publish(writerHeartbeatSubject(request.runId), encodeMessage(heartbeat), { headers: runHeaders(request.runId) });
    } catch (error) {
      // The connection is closing: the run is ending anyway, and a timer must not throw.
      logger.debug({ err: error }, 'heartbeat not sent');
    }
  };
  beat();
  const heartbeat = setInterval(beat, options.heartbeatMs ?? 1_000);
  logger.info({ items: total, writeDelayMs: request.writeDelayMs, transport: request.transport }, 'writing run');

  const publishOne = async (item: QueueItem) => {
    let duplicate = false;
    if (request.transport === 'core') nc.publish(itemSubject(item.runId, 'core'), encodeMessage(item));
    else duplicate = await publishItem(js, item, attempts, signal);
    written++;
    if (duplicate) duplicates++;
    options.observer?.itemWritten(request.transport, duplicate);
    // Progress rides on the heartbeat, at most every 100 ms: if the writer dies, the coordinator knows how far it got.
    if (Date.now() - lastBeat >= 100) beat();
    writtenLog.add({ seq: item.seq, item: item.item, duplicate });
  };

  try {
    for (const [index, text] of request.items.entries()) {
      if (index > 0 && request.writeDelayMs > 0) await sleep(request.writeDelayMs, undefined, { signal });
      signal.throwIfAborted();
      // No await while a slot is free: publishes made in one go leave in one socket write.
      if (!window.tryAcquire()) await window.acquire();
      if (failure) {
        window.release();
        throw failure;
      }
      const item: QueueItem = {
        runId: request.runId,
        seq: index + 1,
        total,
        item: text,
        readDelayMs: request.readDelayMs,
        writtenAt: epochNow(),
        writerPid: process.pid,
        writerHost,
      };
      publishOne(item).then(
        () => window.release(),
        (error: unknown) => {
          failure ??= error;
          window.release();
        },
      );
    }
    await window.idle();
    writtenLog.flush();
    if (failure) throw failure;
    clearInterval(heartbeat);
    await publishEnd(js, request, { runId: request.runId, attempt: request.attempt, written, duplicates, writerPid: process.pid }, 'writer-finished');
    logger.info({ written, duplicates }, 'run written');
  } catch (error) {
    await window.idle();
    writtenLog.flush();
    clearInterval(heartbeat);
    const reason = signal.aborted ? 'writer is shutting down' : error instanceof Error ? error.message : String(error);
    await publishEnd(js, request, { runId: request.runId, attempt: request.attempt, written, duplicates, writerPid: process.pid, error: reason }, 'writer-failed');
    logger.error({ written, of: total, reason }, 'run not fully written');
  }
}

function reply(message: Msg, answer: WriteReply): void {
  message.respond(encodeMessage(answer));
}

/**
 * The writer service's work: answer run requests on WRITER_REQUEST_SUBJECT
 * (one writer of the queue group gets each) and write the run's items,
 * writeDelayMs apart, each with an awaited JetStream ack (or, over core NATS,
 * fire and forget).
 */
export function startWriter(options: WriterOptions): WriterService {
  const { nc, logger } = options;
  const subscription = nc.subscribe(WRITER_REQUEST_SUBJECT, { queue: WRITER_QUEUE_GROUP });
  const runs = new Set<Promise<void>>();
  const stopping = new AbortController();

  const serving = (async () => {
    for await (const message of subscription) {
      let request: WriteRequest;
      try {
        request = decodeMessage(writeRequestSchema, message.data);
      } catch (error) {
        logger.warn({ err: error, ...correlationOf(message) }, 'malformed write request');
        reply(message, { accepted: false, error: 'malformed write request' });
        continue;
      }
      if (stopping.signal.aborted) {
        reply(message, { accepted: false, error: 'writer is shutting down' });
        continue;
      }
      reply(message, { accepted: true, writerPid: process.pid });
      const run: Promise<void> = writeRun(options, request, stopping.signal, correlationOf(message).requestId).finally(() => runs.delete(run));
      runs.add(run);
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
