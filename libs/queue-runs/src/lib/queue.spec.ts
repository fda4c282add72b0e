import { connectToNats, drainNats, encodeMessage } from '@concurrency-lab/nats';
import { captureLogs, startNatsServer, waitFor, type NatsServerHandle } from '@concurrency-lab/testing';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EVENTS_STREAM,
  itemMessageId,
  itemSubject,
  openQueue,
  QUEUE_STREAM,
  READER_CONSUMER,
  READER_CONTROL_SUBJECT,
  readBatchesFilter,
  readBatchSubject,
  runIdOfItemSubject,
  type QueueItem,
  type ReadBatch,
} from '@concurrency-lab/queue';
import { startReader, type ReaderService } from '@concurrency-lab/queue-reader';
import { startWriter, type WriterService } from '@concurrency-lab/queue-writer';
import { QueueRunError } from './run-report.js';
import { queueRunRequestSchema } from './run-request.js';
import { runQueue, type RunQueueOptions } from './run-queue.js';

describe('queue over a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const { logger, lines, waitForLine } = captureLogs('spec');
  const services: (WriterService | ReaderService)[] = [];
  const reader = async () => {
    const started = await startReader({ nc, js, jsm, logger, ackWaitMs: 2_000 });
    services.push(started);
    return started;
  };
  const writer = () => {
    const started = startWriter({ nc, js, logger, heartbeatMs: 200 });
    services.push(started);
    return started;
  };
  const run = (body: unknown, extra: Partial<RunQueueOptions> = {}) =>
    runQueue(queueRunRequestSchema.parse(body), { nc, js, jsm, logger, timeoutMs: 15_000, writerLeaseMs: 1_000, ...extra });

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ servers: server.url, name: 'queue-spec', logger });
    ({ js, jsm } = await openQueue(nc, 'reader', { ackWaitMs: 2_000 }));
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
    await jsm.streams.purge(QUEUE_STREAM);
  });
  afterAll(async () => {
    await drainNats(nc, logger);
    await server?.stop();
  });

  const pending = async () => (await jsm.streams.info(QUEUE_STREAM)).state.messages;

  it('creates the streams and the consumer idempotently, with the documented settings', async () => {
    await openQueue(nc, 'reader', { ackWaitMs: 2_000 });
    const queue = await jsm.streams.info(QUEUE_STREAM);
    expect(queue.config).toMatchObject({ retention: 'workqueue', storage: 'file', discard: 'new' });
    expect(queue.config.duplicate_window).toBe(3_600_000_000_000);
    const events = await jsm.streams.info(EVENTS_STREAM);
    expect(events.config).toMatchObject({ retention: 'limits', storage: 'file', max_msgs_per_subject: 1 });
    const consumer = await jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER);
    expect(consumer.config).toMatchObject({ ack_policy: 'explicit', durable_name: 'readers', max_deliver: 10 });
    expect(consumer.config.backoff?.[0]).toBe(2_000_000_000);
  });

  it('carries every item from writer to reader exactly once, in writing order', async () => {
    writer();
    const started = await reader();
    const report = await run({ items: ['a', 'b', 'c', 'd', 'e'], writeDelayMs: 10, readDelayMs: 5, readerStart: 'concurrent' });
    expect(report.timeline.map((entry) => entry.item)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const readOrder = [...report.timeline].sort((x, y) => x.readStartedAtMs - y.readStartedAtMs).map((entry) => entry.seq);
    expect(readOrder).toEqual([1, 2, 3, 4, 5]);
    expect(report.readers).toEqual([{ host: hostname(), pid: process.pid, items: 5 }]);
    expect(report).toMatchObject({
      redelivered: 0,
      duplicateReads: 0,
      reads: 5,
      readOnce: 5,
      readAgain: 0,
      handedBack: 0,
      alreadyStored: 0,
      transport: 'jetstream',
    });
    expect(report.timeline.map((entry) => entry.reads)).toEqual([1, 1, 1, 1, 1]);
    for (const entry of report.timeline) expect(entry.readAtMs).toBeGreaterThanOrEqual(entry.writtenAtMs);
    await waitFor('the acks', async () => ((await pending()) === 0 ? true : undefined));
    expect(started.read).toBe(5);
  });

  it('moves many items quickly: pipelined publishes, batched fetches', async () => {
    writer();
    await reader();
    const items = Array.from({ length: 2_000 }, (_, i) => `item-${i}`);
    const report = await run({ items, writeDelayMs: 0, readDelayMs: 0, readerStart: 'concurrent' });
    expect(report.timeline.map((entry) => entry.item)).toEqual(items);
    expect(report.itemsPerSecond).toBeGreaterThan(200); // generous: the figures belong to npm run bench
    // Reads are reported a burst at a time, and each burst is logged as one line: not one report, nor one line, per item.
    const reports = (await jsm.streams.info(EVENTS_STREAM, { subjects_filter: readBatchesFilter(report.runId) })).state.subjects ?? {};
    expect(Object.keys(reports).length).toBeLessThan(items.length / 4);
    const readLines = lines.filter((line) => line['runId'] === report.runId && String(line.msg).match(/^items? read$/));
    expect(readLines.reduce((sum, line) => sum + Number(line['count'] ?? 1), 0)).toBe(items.length);
    expect(readLines.length).toBeLessThan(items.length / 4);
  });

  it('a read longer than a pull heartbeat interval is not taken for a lost connection', async () => {
    writer();
    await reader();
    const report = await run({ items: ['slow'], writeDelayMs: 0, readDelayMs: 3_000 });
    expect(report.timeline).toHaveLength(1);
    // The reader's next pull comes after the slow read: a run behind it shows that it came, and cleanly.
    await run({ items: ['after'], writeDelayMs: 0, readDelayMs: 0 });
    expect(lines.filter((line) => line.msg === 'fetch failed; retrying')).toEqual([]);
  });

  it('when reads turn slow after quick ones, every item is still read on its first delivery, none handed back', async () => {
    writer();
    await reader();
    // Quick reads first: fetches of 1, 2 and 4 items grow the batch; the next pull asks for more and waits, open.
    await run({ items: Array.from({ length: 7 }, (_, i) => `quick-${i}`), writeDelayMs: 0, readDelayMs: 0, readerStart: 'concurrent' });
    // Then slow ones, written one by one: the reader keeps whatever its pull brings (alive with in-progress acks) and reads it.
    const items = Array.from({ length: 5 }, (_, i) => `slow-${i}`);
    const report = await run({ items, writeDelayMs: 150, readDelayMs: 40, readerStart: 'concurrent' });
    expect(report.timeline.map((entry) => entry.item)).toEqual(items);
    expect(report.timeline.map((entry) => entry.deliveryCount)).toEqual(items.map(() => 1));
    expect(report).toMatchObject({ redelivered: 0, handedBack: 0 });
  });

  it('a reader stopped mid-read hands its item back, reported as handed back, not as a redelivery', async () => {
    writer();
    const first = await reader();
    const running = run({ items: ['h1', 'h2'], writeDelayMs: 0, readDelayMs: 1_500 });
    await waitForLine((line) => line.msg === 'read started' && line['item'] === 'h1');
    await first.stop();
    expect(first.handedBack).toBe(1);
    await reader();
    const report = await running;
    expect(report.timeline.map((entry) => entry.item)).toEqual(['h1', 'h2']);
    expect(report.timeline[0]).toMatchObject({ deliveryCount: 2, handedBack: 1, reads: 1 });
    expect(report).toMatchObject({ handedBack: 1, redelivered: 0, readAgain: 0 });
  });

  it('keeps items while no reader runs and delivers them to a reader that starts late', async () => {
    writer();
    const running = run({ items: ['late-1', 'late-2', 'late-3'], writeDelayMs: 0, readDelayMs: 0 });
    await waitFor('three items waiting in the stream', async () => ((await pending()) === 3 ? true : undefined));
    // Every item carries its run id in its subject and in its message id.
    const first = await jsm.streams.getMessage(QUEUE_STREAM, { seq: (await jsm.streams.info(QUEUE_STREAM)).state.first_seq });
    const runId = runIdOfItemSubject(first?.subject ?? '');
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first?.header.get('Nats-Msg-Id')).toBe(`${runId}:1`);
    await reader();
    const report = await running;
    expect(report.timeline.map((entry) => entry.item)).toEqual(['late-1', 'late-2', 'late-3']);
  });

  it("after-writer: the lesson's order, every item written before the first is read", async () => {
    writer();
    await reader();
    const report = await run({ items: ['w1', 'w2', 'w3'], writeDelayMs: 100, readDelayMs: 10, readerStart: 'after-writer' });
    const lastWritten = Math.max(...report.timeline.map((entry) => entry.writtenAtMs));
    for (const entry of report.timeline) expect(entry.readStartedAtMs).toBeGreaterThanOrEqual(lastWritten);
    expect(report.timeline.map((entry) => entry.item)).toEqual(['w1', 'w2', 'w3']);
    // The writer started only once the paused reader had no pull open: no item went into a pull nobody read.
    expect(report.redelivered).toBe(0);
    expect(lines.some((line) => line['msg'] === 'readers paused: no pull open' && line['runId'] === report.runId)).toBe(true);
    expect(lines.some((line) => line['msg'] === 'readers paused')).toBe(true);
    expect(lines.some((line) => line['msg'] === 'readers resumed')).toBe(true);
  });

  it('after-writer, run after run with an idle reader: no item ever waits out the ack wait', async () => {
    writer();
    await reader();
    for (let i = 0; i < 5; i++) {
      const report = await run({ items: ['l1', 'l2', 'l3'], writeDelayMs: 0, readDelayMs: 0, readerStart: 'after-writer' });
      expect(report.timeline.map((entry) => entry.deliveryCount)).toEqual([1, 1, 1]);
      expect(report.totalMs).toBeLessThan(2_000); // an item stuck in an abandoned pull would wait out the 2 s ack wait
    }
  });

  it('says why a run waits on an item held by a reader that stopped answering, and finishes once it comes back', async () => {
    writer();
    const runId = randomUUID();
    const running = run({ items: ['stuck'], writeDelayMs: 0, readDelayMs: 0, runId, readerStart: 'concurrent' });
    await waitFor('the item in the stream', async () => ((await pending()) === 1 ? true : undefined));
    // A "reader" that takes the item and then says nothing more, as a killed one would.
    const consumer = await js.consumers.get(QUEUE_STREAM, READER_CONSUMER);
    const held = await consumer.next({ expires: 2_000 });
    expect(held).not.toBeNull();
    // It says "still working" for a while (as a reader does during a long read), then dies.
    const keepAlive = setInterval(() => held?.working(), 500);
    setTimeout(() => clearInterval(keepAlive), 3_500);
    await reader();
    const stalled = await waitForLine(
      (line) => line.msg?.startsWith('run waiting on items held by a reader') === true && line['runId'] === runId,
      10_000,
    );
    expect(stalled).toMatchObject({ unread: 1, seqs: '1', ackWaitMs: 2_000 });
    const report = await running;
    expect(report.timeline[0]).toMatchObject({ deliveryCount: 2, handedBack: 0, reads: 1 });
    expect(report.redelivered).toBe(1);
    expect(
      lines.some(
        (line) => String(line.msg).startsWith('reading a redelivered item') && line['runId'] === runId && line['deliveryCount'] === 2,
      ),
    ).toBe(true);
  });

  it('a pause nobody resumes ends by itself after its ttl', async () => {
    writer();
    await reader();
    const pauseEnds = Date.now() + 500;
    nc.publish(READER_CONTROL_SUBJECT, encodeMessage({ command: 'pause', runId: randomUUID(), ttlMs: 500 }));
    await waitForLine((line) => line.msg === 'readers paused' && line['ttlMs'] === 500);
    // A pause keeps readers from opening a new pull; the one open when it came runs out first.
    await waitFor('no pull open', async () =>
      (await jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER)).num_waiting === 0 ? true : undefined,
    );
    const started = Date.now();
    const report = await run({ items: ['held'], writeDelayMs: 0, readDelayMs: 0, readerStart: 'concurrent' });
    expect(report.timeline.map((entry) => entry.item)).toEqual(['held']);
    expect(started + report.timeline[0]!.readStartedAtMs).toBeGreaterThanOrEqual(pauseEnds - 50);
  });

  it('core transport: a plain queue group carries the items while a reader listens', async () => {
    writer();
    await reader();
    const report = await run({ items: ['c1', 'c2', 'c3'], writeDelayMs: 0, readDelayMs: 0, transport: 'core' });
    expect(report.timeline.map((entry) => entry.item)).toEqual(['c1', 'c2', 'c3']);
    expect(report.transport).toBe('core');
  });

  it('core transport: with no reader listening, the items are simply lost', async () => {
    writer();
    const error = (await run({ items: ['gone'], writeDelayMs: 0, readDelayMs: 0, transport: 'core' }, { timeoutMs: 1_000 }).catch(
      (e: unknown) => e,
    )) as QueueRunError;
    expect(error.failure).toBe('timeout');
    expect(error.progress).toMatchObject({ written: 1, read: 0 });
    const late = await reader(); // nothing waits for it: core NATS kept nothing
    await nc.flush();
    expect(late.read).toBe(0);
  });

  it('acks a redelivered item that was already read without reading it again', async () => {
    // A reader that reported its read, then died before acking: simulated by hand.
    const runId = randomUUID();
    const item: QueueItem = {
      runId,
      seq: 1,
      total: 1,
      item: 'once',
      readDelayMs: 0,
      writtenAt: Date.now(),
      writerPid: process.pid,
      writerHost: 'spec',
    };
    await js.publish(itemSubject(runId), encodeMessage(item), { msgID: itemMessageId(runId, 1) });
    const consumer = await js.consumers.get(QUEUE_STREAM, READER_CONSUMER);
    const held = await consumer.next();
    const reported: ReadBatch = {
      runId,
      readerPid: 1,
      readerHost: 'gone',
      reads: [
        {
          seq: 1,
          item: 'once',
          writtenAt: item.writtenAt,
          writerPid: process.pid,
          writerHost: 'spec',
          readStartedAt: Date.now(),
          readAt: Date.now(),
          deliveryCount: 1,
        },
      ],
    };
    await js.publish(readBatchSubject(runId, 'gone', 1), encodeMessage(reported));
    held?.nak(); // the "dead" reader's delivery comes back
    const started = await reader();
    await waitFor('the redelivery to be acked', async () => ((await pending()) === 0 ? true : undefined));
    expect(started.duplicates).toBe(1);
    expect(started.read).toBe(0);
  });

  it('discards a malformed item for good and keeps reading', async () => {
    await reader();
    writer();
    const badRunId = randomUUID();
    await js.publish(itemSubject(badRunId), new TextEncoder().encode('{not json'));
    const report = await run({ items: ['after'], writeDelayMs: 0, readDelayMs: 0 });
    expect(report.timeline.map((entry) => entry.item)).toEqual(['after']);
    // The body is unreadable, but the line still names the run, from the item's subject.
    expect(lines.some((line) => line['msg'] === 'malformed item discarded' && line['runId'] === badRunId)).toBe(true);
    await waitFor('the queue to empty', async () => ((await pending()) === 0 ? true : undefined));
  });

  it('fails fast with writer-unavailable when no writer listens', async () => {
    const error = await run({ items: ['x'] }, { writerTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueRunError);
    expect((error as QueueRunError).failure).toBe('writer-unavailable');
  });

  it('times out, reporting progress, when no reader takes the items', async () => {
    writer();
    const error = (await run({ items: ['t1', 't2'], writeDelayMs: 0, readDelayMs: 0 }, { timeoutMs: 1_000 }).catch(
      (e: unknown) => e,
    )) as QueueRunError;
    expect(error.failure).toBe('timeout');
    expect(error.progress).toMatchObject({ read: 0, items: 2, written: 2 });
  });

  it('stops waiting when cancelled, leaving written items in the queue', async () => {
    writer();
    const controller = new AbortController();
    const running = run({ items: ['c1'], writeDelayMs: 0, readDelayMs: 0 }, { signal: controller.signal }).catch((e: unknown) => e);
    await waitFor('the item to be in the stream', async () => ((await pending()) === 1 ? true : undefined));
    controller.abort();
    expect(((await running) as QueueRunError).failure).toBe('cancelled');
    expect(await pending()).toBe(1);
  });

  it('reports the run failed with the count written when the writer stops mid-run; a retry stores nothing twice', async () => {
    const first = startWriter({ nc, js, logger, heartbeatMs: 200 });
    await reader();
    const body = { items: ['r1', 'r2', 'r3', 'r4'], writeDelayMs: 300, readDelayMs: 0 };
    const running = run(body).catch((e: unknown) => e);
    await waitForLine((line) => line.msg === 'item written' && line['item'] === 'r2');
    await first.stop();
    const error = (await running) as QueueRunError;
    expect(error.failure).toBe('writer-failed');
    expect(error.progress.written).toBeGreaterThanOrEqual(2);
    writer();
    const report = await run({ ...body, writeDelayMs: 0, runId: error.runId });
    expect(report.runId).toBe(error.runId);
    expect(report.timeline.map((entry) => entry.item)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(report.alreadyStored).toBe(error.progress.written);
    expect(report.duplicateReads).toBe(0);
  });
});
