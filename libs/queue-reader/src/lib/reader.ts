import { decodeMessage } from '@concurrency-lab/nats';
import type { Logger } from '@concurrency-lab/logger';
import {
  DEFAULT_ACK_WAIT_MS,
  QUEUE_STREAM,
  READER_CONSUMER,
  READER_CONTROL_SUBJECT,
  readerControlSchema,
  type ReaderObserver,
} from '@concurrency-lab/queue';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { hostname } from 'node:os';
import { CoreItemSource } from './core-source.js';
import { DeliveryHandler } from './delivery-handler.js';
import { JetStreamItemSource } from './jetstream-source.js';
import { PauseGate } from './pause-gate.js';
import { ReadReporter } from './read-reports.js';
import { ReportedReads } from './reported-reads.js';

export interface ReaderOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  /** The consumer's ack wait; items in hand get an in-progress ack every third of it. */
  ackWaitMs?: number;
  /** The consumer's replicas (NATS_REPLICAS), should the reader have to create it again. */
  replicas?: number;
  /** Most items fetched at once when reads are quick. */
  maxBatch?: number;
  /** Read reports (each naming a burst of reads) awaiting their JetStream ack at once. */
  reportWindow?: number;
  /** Told of every item read, skipped or discarded (the service's metrics). */
  observer?: ReaderObserver;
}

export interface ReaderService {
  /** Takes no more items, cuts the read in progress short and hands its item back, waits for reports and acks. */
  stop(): Promise<void>;
  /** Items read and reported since start (each counted once). */
  readonly read: number;
  /** Deliveries of items already read (a redelivery after a lost ack, or after another reader's crash), acked without reading again. */
  readonly duplicates: number;
  /** Items handed back unread on purpose (the reader was stopping). */
  readonly handedBack: number;
}

/** Pauses and resumes from the coordinator close and open the gate; a malformed command is logged and ignored. */
function followReaderControl(nc: NatsConnection, gate: PauseGate, logger: Logger): Subscription {
  return nc.subscribe(READER_CONTROL_SUBJECT, {
    callback: (error, message) => {
      if (error) return;
      try {
        const { command, runId, ttlMs } = decodeMessage(readerControlSchema, message.data);
        if (command === 'pause') gate.pause(runId, ttlMs);
        else gate.resume(runId);
        logger.info({ runId, ttlMs }, command === 'pause' ? 'readers paused' : 'readers resumed');
      } catch (parseError) {
        logger.warn({ err: parseError }, 'malformed reader control message');
      }
    },
  });
}

/**
 * The reader service: items from every transport's source go through one
 * delivery handler; the coordinator's pauses close the gate the sources wait at.
 */
export async function startReader(options: ReaderOptions): Promise<ReaderService> {
  const { nc, js, jsm, logger, observer } = options;
  const ackWaitMs = options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const gate = new PauseGate();
  const stopping = new AbortController();
  const reporter = new ReadReporter({ js, logger, readerPid: process.pid, readerHost: hostname(), window: options.reportWindow });
  const handler = new DeliveryHandler({ reporter, reported: new ReportedReads(jsm), logger, stopping: stopping.signal, observer });
  const control = followReaderControl(nc, gate, logger);
  const sources = [
    new JetStreamItemSource({
      js,
      jsm,
      gate,
      logger,
      ackWaitMs,
      replicas: options.replicas ?? 1,
      maxBatch: options.maxBatch ?? 128,
      observer,
    }),
    new CoreItemSource(nc, gate, logger, observer),
  ];
  const loops = Promise.all(sources.map((source) => source.run((delivery) => handler.handle(delivery)))).then(
    () => undefined,
    (error: unknown) => logger.error({ err: error }, 'reader loop ended'),
  );
  logger.info({ stream: QUEUE_STREAM, consumer: READER_CONSUMER, ackWaitMs }, 'reading queue');
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    stopping.abort();
    gate.release();
    control.unsubscribe();
    await Promise.all(sources.map((source) => source.stop()));
    await loops;
    await reporter.settle();
  };

  return {
    get read() {
      return handler.counts.read;
    },
    get duplicates() {
      return handler.counts.duplicates;
    },
    get handedBack() {
      return handler.counts.handedBack;
    },
    stop() {
      stopped ??= stop();
      return stopped;
    },
  };
}
