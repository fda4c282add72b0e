import type { Logger } from '@concurrency-lab/logger';
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { epochNow } from './clock.js';
import { decodeMessage, encodeMessage, queueItemSchema, type QueueItem, type ReadEvent } from './messages.js';
import { ACK_WAIT_MS } from './settings.js';
import { QUEUE_STREAM, READER_CONSUMER, runEventSubject } from './subjects.js';

export interface ReaderOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  logger: Logger;
}

export interface ReaderService {
  /** Stops pulling, finishes the item being read, hands back any prefetched one, and resolves. */
  stop(): Promise<void>;
}

/** "Reads" an item for its delay, telling JetStream it is still working so a long read is not redelivered. */
async function readFor(message: JsMsg, item: QueueItem): Promise<void> {
  const heartbeat = setInterval(() => message.working(), ACK_WAIT_MS / 3);
  try {
    await sleep(item.readDelayMs);
  } finally {
    clearInterval(heartbeat);
  }
}

async function handle(options: ReaderOptions, message: JsMsg): Promise<void> {
  const { nc, logger } = options;
  let item: QueueItem;
  try {
    item = decodeMessage(queueItemSchema, message.data);
  } catch (error) {
    // Redelivering it would fail the same way: take it off the queue for good.
    // An ack, not term(): nats-server before 2.10 keeps terminated messages in
    // a work-queue stream forever, while an ack removes it on every version.
    logger.error({ err: error, subject: message.subject, streamSeq: message.seq }, 'malformed item discarded');
    await message.ackAck();
    return;
  }
  const itemLogger = logger.child({ runId: item.runId, seq: item.seq });
  const deliveryCount = message.info.deliveryCount;
  const readStartedAt = epochNow();
  itemLogger.info({ item: item.item, deliveryCount }, 'read started');
  await readFor(message, item);
  const event: ReadEvent = {
    runId: item.runId,
    seq: item.seq,
    item: item.item,
    writtenAt: item.writtenAt,
    writerPid: item.writerPid,
    writerHost: item.writerHost,
    readStartedAt,
    readAt: epochNow(),
    readerPid: process.pid,
    readerHost: hostname(),
    deliveryCount,
  };
  // Report first, ack second: a crash in between means a redelivery and a
  // repeated report, which the coordinator folds by sequence number; the
  // other order could lose the report of an item that was read.
  nc.publish(runEventSubject(item.runId, 'read'), encodeMessage(event));
  await message.ackAck();
  itemLogger.info({ item: item.item, queuedMs: Math.round(readStartedAt - item.writtenAt) }, 'item read');
}

/**
 * The reader service's work: pull items from the shared durable consumer one
 * at a time (so several readers share the load and one reader keeps the
 * writing order), read each, report it and ack it.
 */
export async function startReader(options: ReaderOptions): Promise<ReaderService> {
  const { js, logger } = options;
  const consumer = await js.consumers.get(QUEUE_STREAM, READER_CONSUMER);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 1 });
  let stopping = false;

  const reading = (async () => {
    for await (const message of messages) {
      if (stopping) {
        // Prefetched but not started: give it back now rather than after ack_wait.
        message.nak();
        continue;
      }
      try {
        await handle(options, message);
      } catch (error) {
        logger.error({ err: error }, 'item not acknowledged; JetStream will redeliver it');
      }
    }
  })();

  void (async () => {
    for await (const status of messages.status()) {
      if (status.type === 'heartbeats_missed' || status.type === 'consumer_not_found' || status.type === 'consumer_deleted') {
        logger.warn({ status: status.type }, 'reader consumer status');
      }
    }
  })();

  logger.info({ stream: QUEUE_STREAM, consumer: READER_CONSUMER }, 'reading queue');
  return {
    async stop() {
      stopping = true;
      await messages.close();
      await reading;
    },
  };
}
