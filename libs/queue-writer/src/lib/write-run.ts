import { encodeMessage } from '@concurrency-lab/nats';
import { epochNow } from '@concurrency-lab/clock';
import type { Logger } from '@concurrency-lab/logger';
import {
  BurstLog,
  runHeaders,
  writerEndSubject,
  type QueueItem,
  type WriteRequest,
  type WriterFailedEvent,
  type WriterFinishedEvent,
  type WriterObserver,
} from '@concurrency-lab/queue';
import { failSpan } from '@concurrency-lab/tracing';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { trace } from '@opentelemetry/api';
import { hostname } from 'node:os';
import { setImmediate as turn, setTimeout as sleep } from 'node:timers/promises';
import { InFlightWindow } from './in-flight-window.js';
import { ItemTracing } from './item-tracing.js';
import type { ItemSink } from './item-sink.js';
import type { RunHeartbeat } from './run-heartbeat.js';

export interface RunWriting {
  js: JetStreamClient;
  sink: ItemSink;
  heartbeat: RunHeartbeat;
  logger: Logger;
  /** Publishes awaiting their ack at once. */
  window: number;
  observer?: WriterObserver;
}

interface Progress {
  written: number;
  duplicates: number;
  failure?: unknown;
}

/**
 * Reports how the run ended, into the events stream. Retried a little, as
 * the coordinator waits for it, but bounded (about 6 s at worst) so that a
 * shutdown stays within its grace period; without it the coordinator still
 * learns from the missing heartbeat.
 */
async function publishEnd(
  js: JetStreamClient,
  request: WriteRequest,
  end: WriterFinishedEvent | WriterFailedEvent,
  kind: 'writer-finished' | 'writer-failed',
) {
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

function itemOf(request: WriteRequest, index: number, writerHost: string): QueueItem {
  return {
    runId: request.runId,
    seq: index + 1,
    total: request.items.length,
    item: request.items[index] as string,
    readDelayMs: request.readDelayMs,
    writtenAt: epochNow(),
    writerPid: process.pid,
    writerHost,
  };
}

/**
 * Sends the run's items writeDelayMs apart, with a bounded window of sends
 * awaiting their acks: throughput without unbounded memory. Refilled from half
 * empty, so that publishes go out in bursts rather than a socket write each.
 * A sink that does not wait (core NATS) answers at once: no promise per item,
 * and the event loop turns after each window's worth, so sockets drain and
 * heartbeats go out however long the run.
 */
async function sendItems(request: WriteRequest, writing: RunWriting, progress: Progress, signal: AbortSignal): Promise<void> {
  const window = new InFlightWindow(writing.window, { resumeAt: Math.floor(writing.window / 2) });
  const recordWritten = writtenRecorder(request, writing, progress);
  const writerHost = hostname();
  let sentSinceTurn = 0;
  // Per-item spans for the first items of a traced JetStream run; undefined (nothing per item) otherwise.
  const tracing = ItemTracing.of(request);
  try {
    for (let index = 0; index < request.items.length && !progress.failure; index++) {
      if (index > 0 && request.writeDelayMs > 0) await sleep(request.writeDelayMs, undefined, { signal });
      signal.throwIfAborted();
      // No await while a slot is free: publishes made in one go leave in one socket write.
      if (!window.tryAcquire()) await window.acquire();
      const item = itemOf(request, index, writerHost);
      const written =
        tracing && index < tracing.limit
          ? tracing.publish(item, async (headers) => writeOne(writing.sink, item, signal, window, headers))
          : writeOne(writing.sink, item, signal, window);
      if (typeof written === 'boolean') {
        window.release();
        recordWritten(item, written);
        if (++sentSinceTurn >= writing.window) {
          sentSinceTurn = 0;
          await turn();
        }
        continue;
      }
      written.then(
        (duplicate) => {
          recordWritten(item, duplicate);
          window.release();
        },
        (error: unknown) => {
          progress.failure ??= error;
          window.release();
        },
      );
    }
  } finally {
    await window.idle();
    recordWritten.flush();
  }
  if (progress.failure) throw progress.failure;
}

/** Writes one item; a sink that throws at once gives its slot back first. */
function writeOne(
  sink: ItemSink,
  item: QueueItem,
  signal: AbortSignal,
  window: InFlightWindow,
  headers?: MsgHdrs,
): Promise<boolean> | boolean {
  try {
    return sink.write(item, signal, headers);
  } catch (error) {
    window.release();
    throw error;
  }
}

/** Counts, reports and logs (in bursts) each item written; flush() logs the last burst. */
function writtenRecorder(request: WriteRequest, writing: RunWriting, progress: Progress) {
  const log = new BurstLog<{ seq: number; item: string; duplicate: boolean }>(
    writing.logger,
    { one: 'item written', many: 'items written' },
    ({ duplicate }) => ({ duplicate }),
  );
  const record = (item: QueueItem, duplicate: boolean) => {
    progress.written++;
    if (duplicate) progress.duplicates++;
    writing.observer?.itemWritten(request.transport, duplicate);
    writing.heartbeat.progress(progress.written);
    log.add({ seq: item.seq, item: item.item, duplicate });
  };
  return Object.assign(record, { flush: () => log.flush() });
}

/** Writes one run and reports its end (finished or failed) to the events stream. */
export async function writeRun(request: WriteRequest, writing: RunWriting, signal: AbortSignal): Promise<void> {
  const { logger, js } = writing;
  const progress: Progress = { written: 0, duplicates: 0 };
  logger.info({ items: request.items.length, writeDelayMs: request.writeDelayMs, transport: request.transport }, 'writing run');
  const end = () => ({
    runId: request.runId,
    attempt: request.attempt,
    written: progress.written,
    duplicates: progress.duplicates,
    writerPid: process.pid,
  });
  try {
    await sendItems(request, writing, progress, signal);
    // Beating on while the end event is stored: a publish retried while the cluster elects a leader is not silence.
    await publishEnd(js, request, end(), 'writer-finished');
    writing.heartbeat.stop({ ended: true });
    logger.info({ written: progress.written, duplicates: progress.duplicates }, 'run written');
  } catch (error) {
    const reason = signal.aborted ? 'writer is shutting down' : error instanceof Error ? error.message : String(error);
    const runSpan = trace.getActiveSpan();
    if (runSpan) failSpan(runSpan, reason);
    await publishEnd(js, request, { ...end(), error: reason }, 'writer-failed');
    writing.heartbeat.stop({ ended: true });
    logger.error({ written: progress.written, of: request.items.length, reason }, 'run not fully written');
  } finally {
    writing.heartbeat.stop(); // an end event that could not be stored: silence, as the coordinator should see it
  }
}
