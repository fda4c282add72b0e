import type { Logger } from '@concurrency-lab/logger';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { epochNow } from './clock.js';
import { decodeMessage, encodeMessage, queueItemSchema, readerControlSchema, type QueueItem, type ReadEvent } from './messages.js';
import { DEFAULT_ACK_WAIT_MS } from './settings.js';
import { ensureReaderConsumer } from './stream.js';
import {
  CORE_ITEM_SUBJECT_ROOT,
  CORE_READER_GROUP,
  EVENTS_STREAM,
  itemMessageId,
  QUEUE_STREAM,
  READER_CONSUMER,
  READER_CONTROL_SUBJECT,
  readEventSubject,
} from './subjects.js';

export interface ReaderOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  /** The consumer's ack wait; in-progress acks are sent at a third of it during long reads. */
  ackWaitMs?: number;
  /** Most items fetched at once when reads are quick. */
  maxBatch?: number;
  /** Read reports awaiting their JetStream ack at once. */
  reportWindow?: number;
}

export interface ReaderService {
  /** Stops fetching, finishes the item being read, hands back prefetched ones, waits for reports and acks. */
  stop(): Promise<void>;
  /** Items read and reported since start (each counted once). */
  readonly read: number;
  /** Deliveries of items already read (a redelivery after a lost ack, or after another reader's crash), acked without reading again. */
  readonly duplicates: number;
}

/** Remembers the last `size` keys: enough to recognise a redelivery of something this reader just read. */
class RecentKeys {
  private readonly keys = new Set<string>();
  constructor(private readonly size: number) {}
  has(key: string): boolean {
    return this.keys.has(key);
  }
  add(key: string): void {
    this.keys.add(key);
    if (this.keys.size > this.size) this.keys.delete(this.keys.values().next().value as string);
  }
}

/** Reads that take longer than this make the reader fetch one item at a time, so several readers share slow work fairly. */
const QUICK_READ_MS = 20;

/**
 * The reader service's work: pull items from the shared durable consumer
 * (and from the core queue group), read each, report it to the events stream
 * and only then ack it. Exactly once in effect: a redelivered item that was
 * already read, by this reader or another, is acked without being read or
 * counted again.
 */
export async function startReader(options: ReaderOptions): Promise<ReaderService> {
  const { nc, js, jsm, logger } = options;
  const ackWaitMs = options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const maxBatch = options.maxBatch ?? 128;
  const reportWindow = options.reportWindow ?? 512;
  const recent = new RecentKeys(100_000);
  const reports = new Set<Promise<void>>();
  let stopping = false;
  const stopReads = new AbortController();
  /** Pauses by run: readers stay paused while any run's pause lasts, so overlapping runs cannot resume each other's. */
  const pauses = new Map<string, number>();
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of sleepers) wake();
  };
  let fetching: ConsumerMessages | undefined;
  const counts = { read: 0, duplicates: 0 };

  const pausedUntil = () => {
    const now = Date.now();
    let until = 0;
    for (const [runId, end] of pauses) {
      if (end <= now) pauses.delete(runId);
      else until = Math.max(until, end);
    }
    return until;
  };
  const paused = () => !stopping && pausedUntil() > 0;
  const whilePaused = async () => {
    while (paused()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, pausedUntil() - Date.now()));
        function done() {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        }
        sleepers.add(done);
      });
    }
  };

  const control: Subscription = nc.subscribe(READER_CONTROL_SUBJECT, {
    callback: (error, message) => {
      if (error) return;
      try {
        const command = decodeMessage(readerControlSchema, message.data);
        if (command.command === 'pause') {
          pauses.set(command.runId, Date.now() + command.ttlMs);
          // Cut the pull in progress short, so no item arrives only to be handed back.
          fetching?.stop();
        } else {
          pauses.delete(command.runId);
        }
        logger.info({ runId: command.runId, ttlMs: command.ttlMs }, command.command === 'pause' ? 'readers paused' : 'readers resumed');
        if (command.command === 'resume') wakeAll();
      } catch (parseError) {
        logger.warn({ err: parseError }, 'malformed reader control message');
      }
    },
  });

  /** Reports a read to the events stream, then runs `after` (the ack); pipelined within a bounded window. */
  const report = async (event: ReadEvent, after: () => void) => {
    while (reports.size >= reportWindow) await Promise.race(reports);
    const reporting: Promise<void> = js
      .publish(readEventSubject(event.runId, event.seq), encodeMessage(event), { msgID: `read:${itemMessageId(event.runId, event.seq)}` })
      .then(after, (error: unknown) => {
        // No ack: JetStream redelivers the item, and the redelivery finds out whether the report landed.
        logger.warn({ err: error, runId: event.runId, seq: event.seq }, 'read not reported; the item will be redelivered');
      })
      .finally(() => reports.delete(reporting));
    reports.add(reporting);
  };

  const read = async (item: QueueItem, deliveryCount: number, keepAlive?: JsMsg): Promise<ReadEvent> => {
    const readStartedAt = epochNow();
    logger.info({ runId: item.runId, seq: item.seq, item: item.item, deliveryCount }, 'read started');
    const heartbeat = keepAlive && item.readDelayMs > ackWaitMs / 3 ? setInterval(() => keepAlive.working(), ackWaitMs / 3) : undefined;
    try {
      // Stopping cuts a read short: the caller hands the item back rather than outlast the shutdown grace period.
      if (item.readDelayMs > 0) await sleep(item.readDelayMs, undefined, { signal: stopReads.signal });
    } finally {
      clearInterval(heartbeat);
    }
    const readAt = epochNow();
    counts.read++;
    logger.info({ runId: item.runId, seq: item.seq, item: item.item, queuedMs: Math.round(readStartedAt - item.writtenAt) }, 'item read');
    const { total: _total, readDelayMs: _readDelayMs, ...carried } = item;
    return { ...carried, readStartedAt, readAt, readerPid: process.pid, readerHost: hostname(), deliveryCount };
  };

  const parse = (data: Uint8Array, subject: string): QueueItem | undefined => {
    try {
      return decodeMessage(queueItemSchema, data);
    } catch (error) {
      logger.error({ err: error, subject }, 'malformed item discarded');
      return undefined;
    }
  };

  const alreadyRead = async (item: QueueItem, deliveryCount: number): Promise<boolean> => {
    const key = itemMessageId(item.runId, item.seq);
    if (recent.has(key)) return true;
    // A first delivery cannot have been read before; only a redelivery needs the look-up.
    if (deliveryCount === 1) return false;
    return (await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: readEventSubject(item.runId, item.seq) })) !== null;
  };

  const handleJetStream = async (message: JsMsg) => {
    const item = parse(message.data, message.subject);
    // An ack, not term(): nats-server before 2.10 keeps terminated messages in
    // a work-queue stream forever, while an ack removes it on every version.
    if (!item) return void (await message.ackAck());
    const deliveryCount = message.info.deliveryCount;
    if (await alreadyRead(item, deliveryCount)) {
      counts.duplicates++;
      logger.warn({ runId: item.runId, seq: item.seq, deliveryCount }, 'redelivered item was already read; acked without reading again');
      message.ack();
      return;
    }
    let event: ReadEvent;
    try {
      event = await read(item, deliveryCount, message);
    } catch (error) {
      if (!stopReads.signal.aborted) throw error;
      message.nak(); // stopping mid-read: another reader gets it at once
      logger.info({ runId: item.runId, seq: item.seq }, 'read cut short by shutdown; item handed back');
      return;
    }
    // Remembered as read only once the report has landed: a report lost in a
    // NATS outage must not make the redelivery look already done.
    await report(event, () => {
      recent.add(itemMessageId(item.runId, item.seq));
      message.ack();
    });
  };

  const handleCore = async (message: Msg) => {
    const item = parse(message.data, message.subject);
    if (!item) return;
    // Core NATS cannot take an item back: one cut short by shutdown is lost, as core mode promises nothing.
    const event = await read(item, 1).catch((error: unknown) => {
      if (stopReads.signal.aborted) return undefined;
      throw error;
    });
    if (event) await report(event, () => undefined);
  };

  const fetchLoop = async () => {
    let consumer: Awaited<ReturnType<typeof js.consumers.get>> | undefined;
    let batch = 1;
    while (!stopping) {
      await whilePaused();
      if (stopping) break;
      try {
        consumer ??= await js.consumers.get(QUEUE_STREAM, READER_CONSUMER);
        const messages = await consumer.fetch({ max_messages: batch, expires: 2_000 });
        fetching = messages;
        let takingMore = true;
        const takeNoMore = () => {
          takingMore = false;
          messages.stop(); // ends the pull: the items it already holds still come through this loop
        };
        for await (const message of messages) {
          if (stopping || paused()) takeNoMore();
          if (!takingMore) {
            // Fetched but not started: hand it back now rather than let its ack wait run out while
            // this reader is busy (stopping, paused, or reads turned slow and others should share them).
            // The fetch is stopped first: JetStream would otherwise redeliver the item into it at once,
            // again and again, until its deliveries ran out (MAX_DELIVER) and it was never read.
            message.nak();
            continue;
          }
          const started = performance.now();
          try {
            await handleJetStream(message);
          } catch (error) {
            logger.error({ err: error }, 'item not acknowledged; JetStream will redeliver it');
          }
          // Quick reads: fetch more at once; slow ones: one at a time, and this fetch takes no more.
          const slow = performance.now() - started >= QUICK_READ_MS;
          batch = slow ? 1 : Math.min(maxBatch, batch * 2);
          if (slow) takeNoMore();
        }
      } catch (error) {
        if (stopping) break;
        const reason = error instanceof Error ? error.message : String(error);
        logger.warn({ reason }, 'fetch failed; retrying');
        if (/consumer (not found|deleted)/i.test(reason)) {
          await ensureReaderConsumer(jsm, ackWaitMs).catch(() => undefined);
          consumer = undefined;
        }
        await sleep(500);
      }
    }
  };

  const core = nc.subscribe(`${CORE_ITEM_SUBJECT_ROOT}.>`, { queue: CORE_READER_GROUP });
  const coreLoop = async () => {
    for await (const message of core) {
      await whilePaused();
      try {
        await handleCore(message);
      } catch (error) {
        logger.error({ err: error }, 'core item not read');
      }
    }
  };

  const loops = Promise.all([fetchLoop(), coreLoop()]).then(
    () => undefined,
    (error: unknown) => logger.error({ err: error }, 'reader loop ended'),
  );
  logger.info({ stream: QUEUE_STREAM, consumer: READER_CONSUMER, ackWaitMs }, 'reading queue');

  return {
    get read() {
      return counts.read;
    },
    get duplicates() {
      return counts.duplicates;
    },
    async stop() {
      stopping = true;
      stopReads.abort();
      wakeAll();
      fetching?.stop();
      control.unsubscribe();
      await core.drain();
      await loops;
      await Promise.allSettled(reports);
    },
  };
}
