import { connectToNats, drainNats, encodeMessage } from '@concurrency-lab/nats';
import { captureLogs, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { openQueue, type ReadBatch, readBatchSubject } from '@concurrency-lab/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportedReads } from './reported-reads.js';

describe('ReportedReads over a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  const { logger } = captureLogs('spec');

  const report = (runId: string, readerId: string, n: number, seqs: number[]) => {
    const batch: ReadBatch = {
      runId,
      readerPid: 1,
      readerHost: readerId,
      reads: seqs.map((seq) => ({
        seq,
        item: `i${seq}`,
        writtenAt: 1,
        writerPid: 2,
        writerHost: 'w',
        readStartedAt: 2,
        readAt: 3,
        deliveryCount: 1,
      })),
    };
    return js.publish(readBatchSubject(runId, readerId, n), encodeMessage(batch));
  };

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ servers: server.url, name: 'reported-reads-spec', logger });
    ({ js, jsm } = await openQueue(nc, 'coordinator'));
  });
  afterAll(async () => {
    await drainNats(nc, logger);
    await server?.stop();
  });

  it("finds an item in any reader's report of its run, and only of its run", async () => {
    const [runA, runB] = [randomUUID(), randomUUID()];
    await report(runA, 'readerOne', 1, [1, 2]);
    await report(runB, 'readerOne', 2, [3]);
    await report(runA, 'readerTwo', 1, [4]);
    const reported = new ReportedReads(jsm);
    expect(await reported.has(runA, 1)).toBe(true);
    expect(await reported.has(runA, 4)).toBe(true);
    expect(await reported.has(runA, 3)).toBe(false); // seq 3 was read in run B
    expect(await reported.has(runB, 3)).toBe(true);
  });

  it('catches up with reports stored after its last look', async () => {
    const runId = randomUUID();
    const reported = new ReportedReads(jsm);
    await report(runId, 'early', 1, [1]);
    expect(await reported.has(runId, 2)).toBe(false);
    await report(runId, 'late', 1, [2]);
    expect(await reported.has(runId, 2)).toBe(true);
    expect(await reported.has(runId, 1)).toBe(true);
  });

  it('skips a malformed report instead of failing the look-up', async () => {
    const runId = randomUUID();
    await js.publish(readBatchSubject(runId, 'broken', 1), new TextEncoder().encode('{"reads":"no"}'));
    await report(runId, 'fine', 1, [7]);
    const reported = new ReportedReads(jsm);
    expect(await reported.has(runId, 7)).toBe(true);
    expect(await reported.has(runId, 8)).toBe(false);
  });
});
