import { connectToNats, decodeMessage, drainNats } from '@concurrency-lab/nats';
import { captureLogs, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { EVENTS_STREAM, openQueue, readBatchesFilter, readBatchSchema, type ReadRecord } from '@concurrency-lab/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadReporter } from './read-reports.js';

const record = (seq: number): ReadRecord => ({
  seq,
  item: `i${seq}`,
  writtenAt: 1,
  writerPid: 2,
  writerHost: 'w',
  readStartedAt: 2,
  readAt: 3,
  deliveryCount: 1,
});

describe('ReadReporter over a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const { logger, lines } = captureLogs('spec');

  /** The reports stored for a run, decoded. */
  const storedReports = async (runId: string) => {
    const subjects = (await jsm.streams.info(EVENTS_STREAM, { subjects_filter: readBatchesFilter(runId) })).state.subjects ?? {};
    return Promise.all(
      Object.keys(subjects).map(async (subject) =>
        decodeMessage(readBatchSchema, (await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: subject }))!.data),
      ),
    );
  };

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ servers: server.url, name: 'read-reports-spec', logger });
    ({ js, jsm } = await openQueue(nc, 'reader'));
  });
  afterAll(async () => {
    await drainNats(nc, logger);
    await server?.stop();
  });

  it('reports a burst of reads in few messages of at most 256, by run, and acks each read only once stored', async () => {
    const reporter = new ReadReporter({ js, logger, readerPid: 7, readerHost: 'spec-host' });
    const [runA, runB] = [randomUUID(), randomUUID()];
    const stored: number[] = [];
    for (let seq = 1; seq <= 600; seq++) await reporter.add(runA, record(seq), () => stored.push(seq));
    await reporter.add(runB, record(1), () => stored.push(-1));
    const storedBeforeSettling = stored.length; // nothing can be stored before NATS answers, which takes a turn of the event loop
    await reporter.settle();
    expect(storedBeforeSettling).toBe(0);
    expect(stored.sort((a, b) => a - b)).toEqual([-1, ...Array.from({ length: 600 }, (_, i) => i + 1)]);

    const reportsA = await storedReports(runA);
    expect(reportsA.length).toBeGreaterThanOrEqual(3); // 600 reads cannot fit in two
    expect(reportsA.length).toBeLessThan(20);
    expect(Math.max(...reportsA.map((report) => report.reads.length))).toBeLessThanOrEqual(256);
    expect(reportsA.flatMap((report) => report.reads.map((read) => read.seq)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 600 }, (_, i) => i + 1),
    );
    expect(reportsA[0]).toMatchObject({ runId: runA, readerPid: 7, readerHost: 'spec-host' });
    expect((await storedReports(runB)).map((report) => report.reads.map((read) => read.seq))).toEqual([[1]]);
    // One log line per report, not per read.
    expect(lines.filter((line) => line['runId'] === runA && /^items? read$/.test(String(line.msg))).length).toBe(reportsA.length);
  });

  it('a read that comes alone is reported at once, without waiting for company', async () => {
    const reporter = new ReadReporter({ js, logger, readerPid: 7, readerHost: 'spec-host' });
    const runId = randomUUID();
    const stored = new Promise<void>((resolve) => void reporter.add(runId, record(1), resolve));
    await stored; // resolves without settle(): the report went out on the next turn of the event loop
    expect(await storedReports(runId)).toHaveLength(1);
  });
});
