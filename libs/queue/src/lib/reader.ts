import type { Logger } from '@concurrency-lab/logger';
import type { Consumer, ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { epochNow } from './clock.js';
import { decodeMessage, queueItemSchema, readerControlSchema, type QueueItem, type ReadRecord } from './messages.js';
import type { ReaderObserver } from './observer.js';
import { ReadReporter } from './read-reports.js';
import { ReportedReads } from './reported-reads.js';
import { DEFAULT_ACK_WAIT_MS } from './settings.js';
import { ensureReaderConsumer } from './stream.js';
import {
  CORE_ITEM_SUBJECT_ROOT,
  CORE_READER_GROUP,
  itemMessageId,
  QUEUE_STREAM,
  READER_CONSUMER,
  READER_CONTROL_SUBJECT,
  runIdOfItemSubject,
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
  /** Read reports (each naming a burst of reads) awaiting their JetStream ack at once. */
  reportWindow?: number;
  /** Told of every item read, skipped or discarded (the service's metrics). */
  observer?: ReaderObserver;
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
/** How long one pull waits for items before the reader asks again (and notices a stop or a pause). */
const FETCH_EXPIRES_MS = 2_000;


/**
 * The reader service's work: pull items from the shared durable consumer
 * (and from the core queue group), read each, report it to the events stream
 * and only then ack it. Exactly once in effect: a redelivered item that was
 * already read, by this reader or another, is acked without being read or
 * counted again.
 */
export async function startReader(options: ReaderOptions): Promise<ReaderService> {
  const { nc, js, jsm, logger, observer } = options;
  const ackWaitMs = options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const maxBatch = options.maxBatch ?? 128;
  const recent = new RecentKeys(100_000);
  const reporter = new ReadReporter({ js, logger, readerPid: process.pid, readerHost: hostname(), window: options.reportWindow });
  const reported = new ReportedReads(jsm);
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
    if (pauses.size === 0) return 0; // the usual case, asked for every item
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

  const read = async (item: QueueItem, deliveryCount: number, keepAlive?: JsMsg): Promise<ReadRecord> => {
    const readStartedAt = epochNow();
    // A read that takes time is logged as it starts; a quick one only in its burst's "items read" line.
    const startLevel = item.readDelayMs > 0 ? 'info' : 'debug';
    logger[startLevel]({ runId: item.runId, seq: item.seq, item: item.item, deliveryCount }, 'read started');
    const heartbeat = keepAlive && item.readDelayMs > ackWaitMs / 3 ? setInterval(() => keepAlive.working(), ackWaitMs / 3) : undefined;
    try {
      // Stopping cuts a read short: the caller hands the item back rather than outlast the shutdown grace period.
      if (item.readDelayMs > 0) await sleep(item.readDelayMs, undefined, { signal: stopReads.signal });
    } finally {
      clearInterval(heartbeat);
    }
    // Spelled out rather than spread: this runs for every item, and object spreads are slow in V8.
    return {
      seq: item.seq,
      item: item.item,
      writtenAt: item.writtenAt,
      writerPid: item.writerPid,
      writerHost: item.writerHost,
      readStartedAt,
      readAt: epochNow(),
      deliveryCount,
    };
  };

  const parse = (message: { data: Uint8Array; subject: string }): QueueItem | undefined => {
    try {
      return decodeMessage(queueItemSchema, message.data);
    } catch (error) {
      // The body is unreadable, but its subject still says which run it came from.
      const runId = runIdOfItemSubject(message.subject);
      logger.error({ err: error, subject: message.subject, ...(runId && { runId }) }, 'malformed item discarded');
      observer?.malformedItem();
      return undefined;
    }
  };

  const alreadyRead = async (item: QueueItem, deliveryCount: number): Promise<boolean> => {
    if (recent.has(itemMessageId(item.runId, item.seq))) return true;
    // A first delivery cannot have been read before; only a redelivery needs the look-up.
    if (deliveryCount === 1) return false;
    return reported.has(item.runId, item.seq);
  };

  const handleJetStream = async (message: JsMsg) => {
    const item = parse(message);
    // An ack, not term(): nats-server before 2.10 keeps terminated messages in
    // a work-queue stream forever, while an ack removes it on every version.
    if (!item) return void (await message.ackAck());
    const deliveryCount = message.info.deliveryCount;
    if (await alreadyRead(item, deliveryCount)) {
      counts.duplicates++;
      observer?.alreadyRead();
      logger.warn({ runId: item.runId, seq: item.seq, deliveryCount }, 'redelivered item was already read; acked without reading again');
      message.ack();
      return;
    }
    let record: ReadRecord;
    try {
      record = await read(item, deliveryCount, message);
    } catch (error) {
      if (!stopReads.signal.aborted) throw error;
      message.nak(); // stopping mid-read: another reader gets it at once
      logger.info({ runId: item.runId, seq: item.seq }, 'read cut short by shutdown; item handed back');
      return;
    }
    // Remembered, and counted, as read only once the report has landed: a report lost in a
    // NATS outage must not make the redelivery look already done, nor count the item twice.
    await reporter.add(item.runId, record, () => {
      recent.add(itemMessageId(item.runId, item.seq));
      message.ack();
      counts.read++;
      observer?.itemRead('jetstream', deliveryCount);
    });
  };

  const handleCore = async (message: Msg) => {
    const item = parse(message);
    if (!item) return;
    // Core NATS cannot take an item back: one cut short by shutdown is lost, as core mode promises nothing.
    const record = await read(item, 1).catch((error: unknown) => {
      if (stopReads.signal.aborted) return undefined;
      throw error;
    });
    if (!record) return;
    await reporter.add(item.runId, record, () => {
      counts.read++;
      observer?.itemRead('core', 1);
    });
  };

  const fetchLoop = async () => {
    let consumer: Consumer | undefined;
    let batch = 1;
    while (!stopping) {
      await whilePaused();
      if (stopping) break;
      try {
        consumer ??= await js.consumers.get(QUEUE_STREAM, READER_CONSUMER);
        const pull = await consumer.fetch({ max_messages: batch, expires: FETCH_EXPIRES_MS });
        fetching = pull; // a pause stops it, so no item arrives only to be handed back
        const oneAtATime = batch === 1;
        let takingMore = true;
        const takeNoMore = () => {
          takingMore = false;
          pull.stop(); // ends the pull: the items it already holds still come through this loop
        };
        for await (const message of pull) {
          // One at a time, the pull is over once its item is here: left open, it would take a read
          // that outlasts its heartbeat interval for a lost connection.
          if (oneAtATime) pull.stop();
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
      await reporter.settle();
    },
  };
}
