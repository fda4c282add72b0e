import type { Logger } from '@concurrency-lab/logger';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Status } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { epochNow } from './clock.js';
import { runHeaders } from './headers.js';
import {
  decodeMessage,
  encodeMessage,
  readBatchSchema,
  writeReplySchema,
  writerFailedEventSchema,
  writerFinishedEventSchema,
  writerHeartbeatSchema,
  type ReadEvent,
  type ReaderControl,
  type WriteRequest,
} from './messages.js';
import type { QueueRunRequest } from './run-request.js';
import {
  EVENTS_STREAM,
  itemSubject,
  QUEUE_STREAM,
  READER_CONTROL_SUBJECT,
  runEventsFilter,
  WRITER_REQUEST_SUBJECT,
  writerHeartbeatSubject,
} from './subjects.js';

/** One item's trip through the queue, offsets in ms from the start of this attempt. */
export interface QueueTimelineEntry {
  seq: number;
  item: string;
  writtenAtMs: number;
  writerPid: number;
  writerHost: string;
  readStartedAtMs: number;
  readAtMs: number;
  readerPid: number;
  readerHost: string;
  /** How long the item waited in the queue before a reader took it. */
  queuedMs: number;
  /** 1 on the first delivery; more means JetStream redelivered it (its reader died, or its ack was lost). */
  deliveryCount: number;
}

export interface QueueRunReport {
  runId: string;
  items: number;
  transport: 'jetstream' | 'core';
  readerStart: 'concurrent' | 'after-writer';
  writeDelayMs: number;
  readDelayMs: number;
  totalMs: number;
  /** Items per second from the start of the run to the last read. */
  itemsPerSecond: number;
  writerPid: number;
  readerPids: number[];
  /** Each reader that read an item of the run, by host and pid (pids alone repeat across containers). */
  readers: { host: string; pid: number; items: number }[];
  /** Items read after a redelivery. */
  redelivered: number;
  /** Reads reported again for an item already reported; counted once in the timeline. */
  duplicateReads: number;
  /** Items the writer found already stored by an earlier attempt of this run, so did not store again. */
  alreadyStored: number;
  timeline: QueueTimelineEntry[];
}

export type QueueRunFailure = 'writer-unavailable' | 'writer-failed' | 'timeout' | 'cancelled' | 'too-large';

export class QueueRunError extends Error {
  constructor(
    readonly failure: QueueRunFailure,
    message: string,
    readonly runId: string,
    readonly progress: { written?: number; read: number; items: number },
  ) {
    super(message);
    this.name = 'QueueRunError';
  }
}

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

const round = (value: number) => Math.round(value * 10) / 10;

/** Items of a run still waiting in the queue stream. */
async function storedItems(jsm: JetStreamManager, runId: string): Promise<number> {
  const subject = itemSubject(runId);
  const info = await jsm.streams.info(QUEUE_STREAM, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

/**
 * The coordinator's side of a queue run: follow the run's events (replayed
 * from the events stream, so nothing is missed, and earlier attempts of a
 * retried run count), ask a writer to write the items, and finish when every
 * sequence number has been read: a run ends by count, never by looking at
 * whether the queue is empty.
 */
export async function runQueue(request: QueueRunRequest, options: RunQueueOptions): Promise<QueueRunReport> {
  const { nc, js } = options;
  const runId = request.runId ?? randomUUID();
  const attempt = randomUUID();
  const logger = options.logger.child({ runId });
  const writeRequest: WriteRequest = {
    runId,
    attempt,
    items: request.items,
    writeDelayMs: Math.round(request.writeDelayMs * request.scale),
    readDelayMs: Math.round(request.readDelayMs * request.scale),
    transport: request.transport,
  };
  const total = request.items.length;
  const reads = new Map<number, ReadEvent>();
  let duplicateReads = 0;
  let written = 0;
  let alreadyStored = 0;
  let writerDone = false;
  let writerReported = false;
  let lastHeartbeat = Date.now();
  let failure: QueueRunError | undefined;

  // Follow the run's events from the start of the stream, before anything can happen.
  const consumer = await js.consumers.get(EVENTS_STREAM, { filter_subjects: runEventsFilter(runId) }); // one subject: nats-server 2.9 takes no list
  // Ordered consumers live in server memory: after a NATS restart this one is gone, and the client
  // notices by missed heartbeats and recreates it from the last event seen. Short heartbeats, quick recovery.
  const events = await consumer.consume({ idle_heartbeat: 1_000, expires: 10_000 });
  const heartbeats = nc.subscribe(writerHeartbeatSubject(runId), {
    callback: (error, message) => {
      if (error) return;
      // Never let a bad message throw out of a NATS callback: it would stall the whole connection.
      try {
        written = Math.max(written, decodeMessage(writerHeartbeatSchema, message.data).written);
        lastHeartbeat = Date.now();
      } catch (decodeError) {
        logger.warn({ err: decodeError }, 'malformed writer heartbeat ignored');
      }
    },
  });
  await nc.flush();

  const control = (command: ReaderControl['command']) =>
    nc.publish(READER_CONTROL_SUBJECT, encodeMessage({ command, runId, ttlMs: options.timeoutMs } satisfies ReaderControl), { headers: runHeaders(runId) });
  let readersPaused = false;
  const resumeReaders = () => {
    if (!readersPaused) return;
    readersPaused = false;
    control('resume');
  };
  if (request.readerStart === 'after-writer') {
    readersPaused = true;
    control('pause');
  }

  const runStart = epochNow();
  logger.info(
    { items: total, writeDelayMs: writeRequest.writeDelayMs, readDelayMs: writeRequest.readDelayMs, transport: request.transport, readerStart: request.readerStart, attempt },
    'queue run started',
  );

  const giveUp = (kind: QueueRunFailure, message: string) => {
    failure ??= new QueueRunError(kind, message, runId, { written, read: reads.size, items: total });
    events.stop();
  };
  let graceTimer: NodeJS.Timeout | undefined;
  const cleanUp = () => {
    clearTimeout(graceTimer);
    clearTimeout(timer);
    clearInterval(lease);
    options.signal?.removeEventListener('abort', cancel);
    heartbeats.unsubscribe();
    events.stop();
    statuses.stop();
    resumeReaders();
  };
  const timer = setTimeout(() => giveUp('timeout', `not every item was read within ${options.timeoutMs} ms`), options.timeoutMs);
  const leaseMs = options.writerLeaseMs ?? 5_000;
  // While this side is disconnected no heartbeat can arrive; the lease starts over once it is back.
  // status() is typed as a plain AsyncIterable, but is a stoppable iterator; stop it when the run ends.
  const statuses = nc.status() as AsyncIterable<Status> & { stop(): void };
  void (async () => {
    for await (const status of statuses) if (status.type === 'reconnect') lastHeartbeat = Date.now();
  })();
  const lease = setInterval(() => {
    if (!writerDone && Date.now() - lastHeartbeat > leaseMs) {
      giveUp('writer-failed', `the writer went silent for ${leaseMs} ms while writing (it may have crashed)`);
    }
  }, Math.min(500, leaseMs / 3));
  const cancel = () => giveUp('cancelled', 'the coordinator stopped waiting for the run');
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.signal?.aborted) cancel();
  const payload = encodeMessage(writeRequest);
  const maxPayload = nc.info?.max_payload ?? Number.POSITIVE_INFINITY;
  if (failure || payload.length > maxPayload) {
    cleanUp();
    throw (
      failure ??
      new QueueRunError('too-large', `the items take ${payload.length} bytes; NATS carries at most ${maxPayload} in one message`, runId, {
        read: 0,
        items: total,
      })
    );
  }

  let writerPid = 0;
  try {
    const reply = decodeMessage(
      writeReplySchema,
      (await nc.request(WRITER_REQUEST_SUBJECT, payload, { timeout: options.writerTimeoutMs ?? 5_000, headers: runHeaders(runId, options.requestId) })).data,
    );
    if (!reply.accepted) throw new Error(reply.error);
    writerPid = reply.writerPid;
    lastHeartbeat = Date.now();
  } catch (error) {
    cleanUp();
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn({ reason }, 'no writer took the run');
    throw new QueueRunError('writer-unavailable', `no writer accepted the run: ${reason}`, runId, { read: 0, items: total });
  }

  try {
    for await (const message of events) {
      const [, , , kind] = message.subject.split('.');
      try {
        if (kind === 'reads') {
          const { reads: records, ...reader } = decodeMessage(readBatchSchema, message.data);
          for (const record of records) {
            if (record.seq > total) continue; // not an item of this run: it cannot count towards its end
            if (reads.has(record.seq)) duplicateReads++;
            else reads.set(record.seq, { ...record, ...reader });
          }
          if (reads.size === total) {
            if (writerDone) break;
            // Every item is read; the writer's own report (with its duplicate count) is due any moment.
            graceTimer ??= setTimeout(() => events.stop(), 2_000);
          }
        } else if (kind === 'writer-finished') {
          const event = decodeMessage(writerFinishedEventSchema, message.data);
          if (event.attempt !== attempt) continue; // an earlier attempt's ending
          writerDone = true;
          written = event.written;
          alreadyStored = event.duplicates;
          resumeReaders();
          if (reads.size === total) break;
        } else if (kind === 'writer-failed') {
          const event = decodeMessage(writerFailedEventSchema, message.data);
          if (event.attempt !== attempt) continue;
          written = event.written;
          writerReported = true; // its own count is exact
          giveUp('writer-failed', `the writer stopped: ${event.error}`);
          break;
        }
      } catch (decodeError) {
        logger.warn({ err: decodeError, subject: message.subject }, 'malformed run event ignored');
      }
    }
  } finally {
    cleanUp();
  }
  // The events ended without every read and without a reason: say so rather than report a short timeline as a success.
  if (!failure && reads.size < total) {
    failure = new QueueRunError('timeout', 'the run events stopped before every item was read', runId, { written, read: reads.size, items: total });
  }
  if (failure) {
    if (failure.failure === 'writer-failed' && !writerReported && request.transport === 'jetstream') {
      // A crashed writer's last heartbeat can lag what it stored; JetStream knows: the items read plus those
      // still waiting. Give the acks of reads already reported a moment to land, or an item would count twice.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const stored = await storedItems(options.jsm, runId).catch(() => undefined);
      if (stored !== undefined) failure.progress.written = Math.min(total, reads.size + stored);
    }
    logger.error({ failure: failure.failure, ...failure.progress }, 'queue run failed');
    throw failure;
  }

  const totalMs = round(epochNow() - runStart);
  const timeline = [...reads.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((event) => ({
      seq: event.seq,
      item: event.item,
      writtenAtMs: round(event.writtenAt - runStart),
      writerPid: event.writerPid,
      writerHost: event.writerHost,
      readStartedAtMs: round(event.readStartedAt - runStart),
      readAtMs: round(event.readAt - runStart),
      readerPid: event.readerPid,
      readerHost: event.readerHost,
      queuedMs: round(event.readStartedAt - event.writtenAt),
      deliveryCount: event.deliveryCount,
    }));
  const readers = new Map<string, { host: string; pid: number; items: number }>();
  for (const entry of timeline) {
    const key = `${entry.readerHost}:${entry.readerPid}`;
    const reader = readers.get(key) ?? { host: entry.readerHost, pid: entry.readerPid, items: 0 };
    reader.items++;
    readers.set(key, reader);
  }
  const redelivered = timeline.filter((entry) => entry.deliveryCount > 1).length;
  logger.info({ items: total, totalMs, readers: [...readers.values()], redelivered, duplicateReads, alreadyStored }, 'queue run finished');
  return {
    runId,
    items: total,
    transport: request.transport,
    readerStart: request.readerStart,
    writeDelayMs: writeRequest.writeDelayMs,
    readDelayMs: writeRequest.readDelayMs,
    totalMs,
    itemsPerSecond: totalMs > 0 ? Math.round((total / totalMs) * 1000) : 0,
    writerPid,
    readerPids: [...new Set(timeline.map((entry) => entry.readerPid))],
    readers: [...readers.values()],
    redelivered,
    duplicateReads,
    alreadyStored,
    timeline,
  };
}
