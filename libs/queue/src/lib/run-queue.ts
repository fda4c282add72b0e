import type { Logger } from '@concurrency-lab/logger';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { epochNow } from './clock.js';
import {
  decodeMessage,
  encodeMessage,
  readEventSchema,
  writeReplySchema,
  writerFailedEventSchema,
  type ReadEvent,
  type WriteRequest,
} from './messages.js';
import type { QueueRunRequest } from './run-request.js';
import { runEventsWildcard, WRITER_REQUEST_SUBJECT } from './subjects.js';

/** One item's trip through the queue, offsets in ms from the run's start. */
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
  deliveryCount: number;
}

export interface QueueRunReport {
  runId: string;
  items: number;
  writeDelayMs: number;
  readDelayMs: number;
  totalMs: number;
  writerPid: number;
  readerPids: number[];
  /** Each reader that read an item of the run, by host and pid (pids alone repeat across containers). */
  readers: { host: string; pid: number }[];
  /** Reads reported more than once (a reader died between reporting and acking); counted once in the timeline. */
  duplicateReads: number;
  timeline: QueueTimelineEntry[];
}

export type QueueRunFailure = 'writer-unavailable' | 'writer-failed' | 'timeout' | 'cancelled';

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
  logger: Logger;
  /** How long to wait for every item to be read. */
  timeoutMs: number;
  runId?: string;
  /** How long to wait for a writer to accept the run. */
  writerTimeoutMs?: number;
  /** Stops waiting (the coordinator is shutting down); the items already written stay in the queue. */
  signal?: AbortSignal;
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * The coordinator's side of a queue run: listen for the run's events, ask a
 * writer to write the items, and finish when every sequence number has been
 * read: a run ends by count, never by looking at whether the queue is empty.
 */
export async function runQueue(request: QueueRunRequest, options: RunQueueOptions): Promise<QueueRunReport> {
  const { nc } = options;
  const runId = options.runId ?? randomUUID();
  const logger = options.logger.child({ runId });
  const writeRequest: WriteRequest = {
    runId,
    items: request.items,
    writeDelayMs: Math.round(request.writeDelayMs * request.scale),
    readDelayMs: Math.round(request.readDelayMs * request.scale),
  };
  const total = request.items.length;
  const reads = new Map<number, ReadEvent>();
  let duplicateReads = 0;
  let written = 0;

  // Subscribe before the writer can publish anything, and make sure the server knows.
  const events = nc.subscribe(runEventsWildcard(runId));
  await nc.flush();
  const runStart = epochNow();
  logger.info({ items: total, writeDelayMs: writeRequest.writeDelayMs, readDelayMs: writeRequest.readDelayMs }, 'queue run started');

  let writerPid: number;
  try {
    const reply = decodeMessage(
      writeReplySchema,
      (await nc.request(WRITER_REQUEST_SUBJECT, encodeMessage(writeRequest), { timeout: options.writerTimeoutMs ?? 5_000 })).data,
    );
    if (!reply.accepted) throw new Error(reply.error);
    writerPid = reply.writerPid;
  } catch (error) {
    events.unsubscribe();
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn({ reason }, 'no writer took the run');
    throw new QueueRunError('writer-unavailable', `no writer accepted the run: ${reason}`, runId, { read: 0, items: total });
  }

  let failure: QueueRunError | undefined;
  const giveUp = (kind: 'timeout' | 'cancelled', message: string) => {
    failure ??= new QueueRunError(kind, message, runId, { written, read: reads.size, items: total });
    if (!events.isClosed()) events.unsubscribe();
  };
  const timer = setTimeout(() => giveUp('timeout', `not every item was read within ${options.timeoutMs} ms`), options.timeoutMs);
  const cancel = () => giveUp('cancelled', 'the coordinator stopped waiting for the run');
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.signal?.aborted) cancel();

  try {
    for await (const message of events) {
      const kind = message.subject.slice(message.subject.lastIndexOf('.') + 1);
      if (kind === 'written') {
        written++;
      } else if (kind === 'read') {
        const event = decodeMessage(readEventSchema, message.data);
        if (reads.has(event.seq)) duplicateReads++;
        else reads.set(event.seq, event);
        if (reads.size === total) break;
      } else if (kind === 'writer-failed') {
        const event = decodeMessage(writerFailedEventSchema, message.data);
        failure = new QueueRunError('writer-failed', `the writer stopped: ${event.error}`, runId, {
          written: event.written,
          read: reads.size,
          items: total,
        });
        break;
      }
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', cancel);
    if (!events.isClosed()) events.unsubscribe();
  }
  if (failure) {
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
  const readerPids = [...new Set(timeline.map((entry) => entry.readerPid))];
  const readers = [...new Map(timeline.map((entry) => [`${entry.readerHost}:${entry.readerPid}`, { host: entry.readerHost, pid: entry.readerPid }])).values()];
  logger.info({ items: total, totalMs, readerPids, duplicateReads }, 'queue run finished');
  return {
    runId,
    items: total,
    writeDelayMs: writeRequest.writeDelayMs,
    readDelayMs: writeRequest.readDelayMs,
    totalMs,
    writerPid,
    readerPids,
    readers,
    duplicateReads,
    timeline,
  };
}
