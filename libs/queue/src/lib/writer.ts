import type { Logger } from '@concurrency-lab/logger';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { epochNow } from './clock.js';
import {
  decodeMessage,
  encodeMessage,
  writeRequestSchema,
  type QueueItem,
  type WriteReply,
  type WriteRequest,
  type WriterFailedEvent,
  type WriterFinishedEvent,
  type WrittenEvent,
} from './messages.js';
import { itemMessageId, itemSubject, runEventSubject, WRITER_QUEUE_GROUP, WRITER_REQUEST_SUBJECT } from './subjects.js';

export interface WriterOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  logger: Logger;
  /** Attempts per item before the run is reported failed. */
  publishAttempts?: number;
}

export interface WriterService {
  /** Stops taking runs, ends the runs in flight after their current item, and resolves when they have reported. */
  stop(): Promise<void>;
}

/**
 * Publishes one item and waits for JetStream's ack. A failed attempt is
 * retried with the same message id, so a publish that did land but whose ack
 * was lost is not stored twice.
 */
async function publishItem(js: JetStreamClient, item: QueueItem, attempts: number, signal: AbortSignal): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      const ack = await js.publish(itemSubject(item.runId), encodeMessage(item), {
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

async function writeRun(options: WriterOptions, request: WriteRequest, signal: AbortSignal): Promise<void> {
  const { nc, js } = options;
  const logger = options.logger.child({ runId: request.runId });
  const attempts = options.publishAttempts ?? 8;
  const total = request.items.length;
  let written = 0;
  logger.info({ items: total, writeDelayMs: request.writeDelayMs }, 'writing run');
  try {
    for (const [index, text] of request.items.entries()) {
      if (index > 0) await sleep(request.writeDelayMs, undefined, { signal });
      const item: QueueItem = {
        runId: request.runId,
        seq: index + 1,
        total,
        item: text,
        readDelayMs: request.readDelayMs,
        writtenAt: epochNow(),
        writerPid: process.pid,
        writerHost: hostname(),
      };
      const duplicate = await publishItem(js, item, attempts, signal);
      written++;
      logger.info({ seq: item.seq, item: text, duplicate }, 'item written');
      const event: WrittenEvent = { runId: item.runId, seq: item.seq, writtenAt: item.writtenAt, writerPid: process.pid, duplicate };
      nc.publish(runEventSubject(request.runId, 'written'), encodeMessage(event));
    }
    const finished: WriterFinishedEvent = { runId: request.runId, written, writerPid: process.pid };
    nc.publish(runEventSubject(request.runId, 'writer-finished'), encodeMessage(finished));
    logger.info({ written }, 'run written');
  } catch (error) {
    const reason = signal.aborted ? 'writer is shutting down' : error instanceof Error ? error.message : String(error);
    const failed: WriterFailedEvent = { runId: request.runId, written, writerPid: process.pid, error: reason };
    nc.publish(runEventSubject(request.runId, 'writer-failed'), encodeMessage(failed));
    logger.error({ written, of: total, reason }, 'run not fully written');
  }
}

function reply(message: Msg, answer: WriteReply): void {
  message.respond(encodeMessage(answer));
}

/**
 * The writer service's work: answer run requests on WRITER_REQUEST_SUBJECT
 * (one writer of the queue group gets each) and write the run's items to the
 * stream, writeDelayMs apart, each with an awaited JetStream ack.
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
        logger.warn({ err: error }, 'malformed write request');
        reply(message, { accepted: false, error: 'malformed write request' });
        continue;
      }
      if (stopping.signal.aborted) {
        reply(message, { accepted: false, error: 'writer is shutting down' });
        continue;
      }
      reply(message, { accepted: true, writerPid: process.pid });
      const run = writeRun(options, request, stopping.signal).finally(() => runs.delete(run));
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
