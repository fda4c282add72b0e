import { PassThrough } from 'node:stream';
import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats } from '@concurrency-lab/nats';
import { startNatsServer, waitFor, type NatsServerHandle } from '@concurrency-lab/testing';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage, type QueueItem } from './messages.js';
import { startReader, type ReaderService } from './reader.js';
import { queueRunRequestSchema } from './run-request.js';
import { QueueRunError, runQueue } from './run-queue.js';
import { ensureQueueStream, ensureReaderConsumer } from './stream.js';
import { itemMessageId, itemSubject, QUEUE_STREAM } from './subjects.js';
import { startWriter, type WriterService } from './writer.js';

function capturedLogger(service: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { logger: createLogger({ service, destination }), lines };
}

describe('queue over a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const { logger, lines } = capturedLogger('spec');
  const services: (WriterService | ReaderService)[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ servers: server.url, name: 'queue-spec', logger });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    await ensureQueueStream(jsm);
    await ensureReaderConsumer(jsm);
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
  });
  afterAll(async () => {
    await drainNats(nc, logger);
    await server?.stop();
  });

  const pending = async () => (await jsm.streams.info(QUEUE_STREAM)).state.messages;

  it('creates the stream and consumer idempotently with work-queue retention on file storage', async () => {
    await ensureQueueStream(jsm);
    await ensureReaderConsumer(jsm);
    const info = await jsm.streams.info(QUEUE_STREAM);
    expect(info.config.retention).toBe('workqueue');
    expect(info.config.storage).toBe('file');
    const consumer = await jsm.consumers.info(QUEUE_STREAM, 'readers');
    expect(consumer.config.ack_policy).toBe('explicit');
    expect(consumer.config.durable_name).toBe('readers');
  });

  it('carries every item from writer to reader exactly once, in writing order', async () => {
    services.push(startWriter({ nc, js, logger }));
    services.push(await startReader({ nc, js, logger }));
    const request = queueRunRequestSchema.parse({ items: ['a', 'b', 'c', 'd', 'e'], writeDelayMs: 10, readDelayMs: 5 });
    const report = await runQueue(request, { nc, logger, timeoutMs: 10_000 });
    expect(report.timeline.map((entry) => entry.item)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(report.timeline.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    const readOrder = [...report.timeline].sort((x, y) => x.readStartedAtMs - y.readStartedAtMs).map((entry) => entry.seq);
    expect(readOrder).toEqual([1, 2, 3, 4, 5]);
    expect(report.readerPids).toEqual([process.pid]);
    expect(report.readers).toEqual([{ host: hostname(), pid: process.pid }]);
    expect(report.timeline.every((entry) => entry.writerHost === hostname() && entry.readerHost === hostname())).toBe(true);
    for (const entry of report.timeline) expect(entry.readAtMs).toBeGreaterThanOrEqual(entry.writtenAtMs);
    expect(await pending()).toBe(0); // work-queue retention: acked items are gone
  });

  it('keeps items while no reader runs and delivers them to a reader that starts late', async () => {
    services.push(startWriter({ nc, js, logger }));
    const request = queueRunRequestSchema.parse({ items: ['late-1', 'late-2', 'late-3'], writeDelayMs: 0, readDelayMs: 0 });
    const run = runQueue(request, { nc, logger, timeoutMs: 15_000 });
    await waitFor('three items waiting in the stream', async () => ((await pending()) === 3 ? true : undefined));
    services.push(await startReader({ nc, js, logger }));
    const report = await run;
    expect(report.timeline.map((entry) => entry.item)).toEqual(['late-1', 'late-2', 'late-3']);
    expect(await pending()).toBe(0);
  });

  it('stores a re-published item once (same message id inside the duplicate window)', async () => {
    const runId = randomUUID();
    const item: QueueItem = { runId, seq: 1, total: 1, item: 'x', readDelayMs: 0, writtenAt: Date.now(), writerPid: process.pid, writerHost: 'spec' };
    const first = await js.publish(itemSubject(runId), encodeMessage(item), { msgID: itemMessageId(runId, 1) });
    const again = await js.publish(itemSubject(runId), encodeMessage(item), { msgID: itemMessageId(runId, 1) });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(first.seq);
    await jsm.streams.purge(QUEUE_STREAM);
  });

  it('discards a malformed item for good and keeps reading', async () => {
    services.push(await startReader({ nc, js, logger }));
    services.push(startWriter({ nc, js, logger }));
    await js.publish(itemSubject(randomUUID()), new TextEncoder().encode('{not json'));
    const report = await runQueue(queueRunRequestSchema.parse({ items: ['after'], writeDelayMs: 0, readDelayMs: 0 }), {
      nc,
      logger,
      timeoutMs: 10_000,
    });
    expect(report.timeline.map((entry) => entry.item)).toEqual(['after']);
    expect(lines.some((line) => line['msg'] === 'malformed item discarded')).toBe(true);
    expect(await pending()).toBe(0);
  });

  it('fails fast with writer-unavailable when no writer listens', async () => {
    const request = queueRunRequestSchema.parse({ items: ['x'] });
    const error = await runQueue(request, { nc, logger, timeoutMs: 5_000, writerTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueRunError);
    expect((error as QueueRunError).failure).toBe('writer-unavailable');
  });

  it('times out, reporting progress, when no reader takes the items', async () => {
    services.push(startWriter({ nc, js, logger }));
    const request = queueRunRequestSchema.parse({ items: ['t1', 't2'], writeDelayMs: 0, readDelayMs: 0 });
    const error = (await runQueue(request, { nc, logger, timeoutMs: 1_000 }).catch((e: unknown) => e)) as QueueRunError;
    expect(error.failure).toBe('timeout');
    expect(error.progress).toMatchObject({ read: 0, items: 2, written: 2 });
    await jsm.streams.purge(QUEUE_STREAM);
  });

  it('stops waiting when cancelled, leaving written items in the queue', async () => {
    services.push(startWriter({ nc, js, logger }));
    const controller = new AbortController();
    const request = queueRunRequestSchema.parse({ items: ['c1'], writeDelayMs: 0, readDelayMs: 0 });
    const run = runQueue(request, { nc, logger, timeoutMs: 10_000, signal: controller.signal }).catch((e: unknown) => e);
    await waitFor('the item to be in the stream', async () => ((await pending()) === 1 ? true : undefined));
    controller.abort();
    expect(((await run) as QueueRunError).failure).toBe('cancelled');
    expect(await pending()).toBe(1);
    await jsm.streams.purge(QUEUE_STREAM);
  });

  it('reports the run failed with the count written when the writer stops mid-run', async () => {
    const writer = startWriter({ nc, js, logger });
    services.push(await startReader({ nc, js, logger }));
    const request = queueRunRequestSchema.parse({ items: ['w1', 'w2', 'w3'], writeDelayMs: 5_000, readDelayMs: 0 });
    const run = runQueue(request, { nc, logger, timeoutMs: 20_000 }).catch((e: unknown) => e);
    await waitFor('the first item to be written', () => lines.find((line) => line['msg'] === 'item written' && line['item'] === 'w1'));
    await writer.stop();
    const error = (await run) as QueueRunError;
    expect(error.failure).toBe('writer-failed');
    expect(error.progress.written).toBe(1);
  });
});
