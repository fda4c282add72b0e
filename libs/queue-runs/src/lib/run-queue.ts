import { decodeMessage, encodeMessage } from '@concurrency-lab/nats';
import { epochNow } from '@concurrency-lab/clock';
import type { Logger } from '@concurrency-lab/logger';
import {
  decodeRunEvent,
  hasTraceContext,
  itemSubject,
  QUEUE_STREAM,
  readBatchesFilter,
  runEventKindOf,
  runEventsFilter,
  runHeaders,
  TRANSPORTS,
  WRITER_REQUEST_SUBJECT,
  writeReplySchema,
  type WriteRequest,
} from '@concurrency-lab/queue';
import { extractTraceContext, labTracer, messagingAttributes, messagingSpanName, withSpan } from '@concurrency-lab/tracing';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { context, SpanKind } from '@opentelemetry/api';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventFeed } from './event-feed.js';
import { ReaderPause } from './reader-pause.js';
import { RunCollector } from './run-collector.js';
import { QueueRunError, type QueueRunFailure, type QueueRunReport } from './run-report.js';
import type { QueueRunRequest } from './run-request.js';
import { StallWatch } from './stall-watch.js';
import { WriterLease } from './writer-lease.js';

export interface RunQueueOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  /** How long to wait for every item to be read. */
  timeoutMs: number;
  /** How long to wait for a writer to accept the run. */
  writerTimeoutMs?: number;
  /** A writer silent this long while writing is taken for dead (the clock restarts when the coordinator reconnects). */
  writerLeaseMs?: number;
  /** Stops waiting (the coordinator is shutting down); the items already written stay in the queue. */
  signal?: AbortSignal;
  /** The HTTP request behind the run: sent to the writer in a header, so its log lines name it too. */
  requestId?: string;
}

/** After every item is read, how long to wait for the writer's own end report (with its duplicate count). */
const WRITER_REPORT_GRACE_MS = 2_000;

/**
 * The coordinator's side of one attempt of a queue run. Its parts each do
 * one job: the collector folds events into the report, the lease watches the
 * writer, the pause holds the readers, the stall watch explains a wait; this
 * class only wires them together and decides when the run is over.
 */
class QueueRun {
  readonly runId: string;
  private readonly attempt = randomUUID();
  private readonly logger: Logger;
  private readonly writeRequest: WriteRequest;
  private readonly collector: RunCollector;
  private failure: QueueRunError | undefined;
  private events: EventFeed | undefined;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly request: QueueRunRequest,
    private readonly options: RunQueueOptions,
  ) {
    this.runId = request.runId ?? randomUUID();
    this.logger = options.logger.child({ runId: this.runId });
    const scaled = (ms: number) => Math.round(ms * request.scale);
    this.writeRequest = {
      runId: this.runId,
      attempt: this.attempt,
      items: request.items,
      writeDelayMs: scaled(request.writeDelayMs),
      readDelayMs: scaled(request.readDelayMs),
      transport: request.transport,
    };
    this.collector = new RunCollector(request.items.length, this.attempt);
  }

  async execute(): Promise<QueueRunReport> {
    try {
      // Follow the run's events from the start of the stream, before anything can happen.
      this.events = await this.followEvents();
      const lease = this.watchWriter();
      const pause = new ReaderPause(this.options.nc, this.options.jsm, this.runId, this.options.timeoutMs, this.logger);
      this.cleanups.push(() => pause.resume());
      if (this.request.readerStart === 'after-writer') await pause.pause();
      const startedAt = epochNow();
      this.logStart();
      this.armTimeouts();
      const writerPid = await this.startWriter();
      lease.watch();
      await this.collect(this.events, lease, pause);
      if (this.failure) throw await this.withWrittenCount(this.failure);
      const report = this.collector.report(
        { ...this.writeRequest, readerStart: this.request.readerStart, writerPid },
        startedAt,
        epochNow(),
      );
      this.logFinish(report);
      return report;
    } finally {
      for (const cleanUp of this.cleanups.splice(0).reverse()) cleanUp();
    }
  }

  private async followEvents(): Promise<EventFeed> {
    const events = await new EventFeed(this.options.js, this.options.nc, runEventsFilter(this.runId), this.logger).open();
    this.cleanups.push(() => events.stop());
    return events;
  }

  private watchWriter(): WriterLease {
    const lease = new WriterLease(this.options.nc, this.runId, this.options.writerLeaseMs ?? 5_000, this.logger, {
      progress: (written) => this.collector.writerProgress(written),
      lapsed: (leaseMs) => this.giveUp('writer-failed', `the writer went silent for ${leaseMs} ms while writing (it may have crashed)`),
    });
    this.cleanups.push(() => lease.stop());
    return lease;
  }

  private armTimeouts(): void {
    const { timeoutMs, signal } = this.options;
    const timer = setTimeout(() => this.giveUp('timeout', `not every item was read within ${timeoutMs} ms`), timeoutMs);
    const cancel = () => this.giveUp('cancelled', 'the coordinator stopped waiting for the run');
    signal?.addEventListener('abort', cancel, { once: true });
    if (signal?.aborted) cancel();
    this.cleanups.push(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    });
  }

  private giveUp(failure: QueueRunFailure, message: string): void {
    this.failure ??= new QueueRunError(failure, message, this.runId, {
      written: this.collector.written,
      read: this.collector.readCount,
      items: this.collector.total,
    });
    this.events?.stop();
  }

  /** Asks a writer of the queue group to write the run; resolves with its pid. */
  private async startWriter(): Promise<number> {
    const { nc } = this.options;
    const payload = encodeMessage(this.writeRequest);
    const maxPayload = nc.info?.max_payload ?? Number.POSITIVE_INFINITY;
    const items = this.collector.total;
    if (this.failure) throw this.failure;
    if (payload.length > maxPayload) {
      throw new QueueRunError(
        'too-large',
        `the items take ${payload.length} bytes; NATS carries at most ${maxPayload} in one message`,
        this.runId,
        { read: 0, items },
      );
    }
    try {
      return await this.requestWriter(payload);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ reason }, 'no writer took the run');
      throw new QueueRunError('writer-unavailable', `no writer accepted the run: ${reason}`, this.runId, { read: 0, items });
    }
  }

  /** The request-reply to a writer, as a CLIENT span whose context the request carries (the writer's run span is its child). */
  private requestWriter(payload: Uint8Array): Promise<number> {
    const destination = WRITER_REQUEST_SUBJECT;
    const span = labTracer().startSpan(messagingSpanName({ operationName: 'send', destination }), {
      kind: SpanKind.CLIENT,
      attributes: messagingAttributes({ operation: 'send', operationName: 'send', destination, bodySize: payload.length }),
    });
    const parent = context.active();
    return withSpan(span, parent, async () => {
      const answer = await this.options.nc.request(destination, payload, {
        timeout: this.options.writerTimeoutMs ?? 5_000,
        headers: runHeaders(this.runId, this.options.requestId, span.isRecording() ? context.active() : undefined),
      });
      const reply = decodeMessage(writeReplySchema, answer.data);
      if (!reply.accepted) throw new Error(reply.error);
      return reply.writerPid;
    });
  }

  /** Folds events into the collector until every item is read (and the writer has reported), or the run fails. */
  private async collect(events: EventFeed, lease: WriterLease, pause: ReaderPause): Promise<void> {
    const stalls = new StallWatch({
      jsm: this.options.jsm,
      logger: this.logger,
      readDelayMs: this.writeRequest.readDelayMs,
      unread: () => this.collector.unreadSeqs(),
    });
    let grace: NodeJS.Timeout | undefined;
    this.cleanups.push(() => {
      stalls.stop();
      clearTimeout(grace);
    });
    for await (const message of events) {
      // A traced read report is consumed in a span of the run's trace, its publish span the parent; others cost nothing.
      if (hasTraceContext(message)) this.consumeTraced(message, () => this.apply(message, stalls));
      else this.apply(message, stalls);
      if (this.collector.writerFailure !== undefined)
        return this.giveUp('writer-failed', `the writer stopped: ${this.collector.writerFailure}`);
      if (this.collector.writerDone) {
        lease.writerDone();
        pause.resume(); // after-writer: every item is written, the readers may start
      }
      if (this.collector.allRead && this.collector.writerDone) return;
      // Every item is read; the writer's own report (with its duplicate count) is due any moment.
      if (this.collector.allRead) grace ??= setTimeout(() => events.stop(), WRITER_REPORT_GRACE_MS);
    }
    // The events ended without every read and without a reason: say so rather than report a short timeline as a success.
    if (!this.collector.allRead) this.giveUp('timeout', 'the run events stopped before every item was read');
  }

  private apply(message: JsMsg, stalls: StallWatch): void {
    try {
      const event = decodeRunEvent(runEventKindOf(message.subject), message.data);
      if (event) this.collector.apply(event);
      // A read, or the writer's end (after-writer: the readers only start now), starts the stall clock over.
      if (event) stalls.progress();
    } catch (decodeError) {
      this.logger.warn({ err: decodeError, subject: message.subject }, 'malformed run event ignored');
    }
  }

  private consumeTraced(message: JsMsg, apply: () => void): void {
    const destination = message.subject;
    const span = labTracer().startSpan(
      messagingSpanName({ operationName: 'process', destination: readBatchesFilter(this.runId) }),
      {
        kind: SpanKind.CONSUMER,
        attributes: messagingAttributes({
          operation: 'process',
          operationName: 'process',
          destination,
          messageId: destination, // a report's subject is its dedupe id
          bodySize: message.data.length,
        }),
      },
      extractTraceContext(message.headers),
    );
    try {
      apply();
    } finally {
      span.end();
    }
  }

  /**
   * A crashed writer's last heartbeat can lag what it stored; a stored
   * transport knows: the items read plus those still waiting. The acks of reads
   * already reported get a moment to land first, or an item would count twice.
   */
  private async withWrittenCount(failure: QueueRunError): Promise<QueueRunError> {
    if (failure.failure === 'writer-failed' && this.collector.writerFailure === undefined && TRANSPORTS[this.request.transport].stored) {
      await sleep(1_000);
      const subject = itemSubject(this.runId, this.request.transport);
      const stored = await this.options.jsm.streams
        .info(QUEUE_STREAM, { subjects_filter: subject })
        .then((info) => info.state.subjects?.[subject] ?? 0)
        .catch(() => undefined);
      if (stored !== undefined) failure.progress.written = Math.min(this.collector.total, this.collector.readCount + stored);
    }
    this.logger.error({ failure: failure.failure, ...failure.progress }, 'queue run failed');
    return failure;
  }

  private logStart(): void {
    const { writeDelayMs, readDelayMs, transport } = this.writeRequest;
    this.logger.info(
      { items: this.collector.total, writeDelayMs, readDelayMs, transport, readerStart: this.request.readerStart, attempt: this.attempt },
      'queue run started',
    );
  }

  private logFinish(report: QueueRunReport): void {
    const { items, totalMs, readers, reads, readAgain, redelivered, handedBack, alreadyStored } = report;
    this.logger.info({ items, totalMs, readers, reads, readAgain, redelivered, handedBack, alreadyStored }, 'queue run finished');
  }
}

/**
 * Runs one attempt of a queue run: follow the run's events (replayed from the
 * events stream, so nothing is missed, and earlier attempts of a retried run
 * count), ask a writer to write the items, and finish when every sequence
 * number has been read: a run ends by count, never by looking at whether the
 * queue is empty.
 */
export function runQueue(request: QueueRunRequest, options: RunQueueOptions): Promise<QueueRunReport> {
  const run = new QueueRun(request, options);
  // In the HTTP request's context (its server span the parent), or a root when there is none.
  const span = labTracer().startSpan('queue run', {
    attributes: {
      'lab.run.id': run.runId,
      'lab.run.items': request.items.length,
      'lab.run.transport': request.transport,
      'lab.run.reader_start': request.readerStart,
    },
  });
  return withSpan(span, context.active(), () => run.execute());
}
