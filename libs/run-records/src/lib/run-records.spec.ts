import { connectToNats, drainNats } from '@concurrency-lab/nats';
import { RunRegistry } from '@concurrency-lab/runs';
import { captureLogs, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import { DiscardPolicy, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openRunRecords, RUN_RECORD_LIMITS, RUN_RECORDS_BUCKET, RUN_RECORDS_STREAM } from './bucket.js';
import { runRecordArchive, RunRecordsUnavailableError, thisProcessAsOwner } from './run-record-archive.js';
import { RunRecordStore, RunRecordTooLargeError } from './run-record-store.js';

const RUN_ID = '6afc1379-69ed-4e65-bddc-25975f01491f';
const inputSchema = z.strictObject({ items: z.number() });
const resultSchema = z.strictObject({ totalMs: z.number() });

describe('run records over a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  const logs = captureLogs('spec');
  const { logger } = logs;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ servers: server.url, name: 'run-records-spec', logger, reconnectTimeWaitMs: 100 });
  });
  afterAll(async () => {
    if (nc) await drainNats(nc, logger);
    await server?.stop();
  });

  it('creates the bucket with its limits: history 1, value size, total bytes, age, replicas, oldest out first', async () => {
    await openRunRecords(nc, { logger });
    const { config } = await (await jetstreamManager(nc)).streams.info(RUN_RECORDS_STREAM);
    expect(config).toMatchObject({
      subjects: [`$KV.${RUN_RECORDS_BUCKET}.>`],
      max_msgs_per_subject: 1,
      max_msg_size: RUN_RECORD_LIMITS.maxValueBytes,
      max_bytes: RUN_RECORD_LIMITS.maxBytes,
      max_age: nanos(24 * 60 * 60 * 1000),
      num_replicas: 1,
      discard: DiscardPolicy.Old,
      allow_direct: true,
    });
    const status = await (await new Kvm(nc).open(RUN_RECORDS_BUCKET)).status();
    expect([status.history, status.ttl, status.maxValueSize]).toEqual([1, 24 * 60 * 60 * 1000, RUN_RECORD_LIMITS.maxValueBytes]);
  });

  it('sends the puts of a few ms together, in the order they were made, each settling once stored', async () => {
    const store = await openRunRecords(nc, { logger });
    const ids = ['7b1c1379-69ed-4e65-bddc-25975f01491f', '8c2d1379-69ed-4e65-bddc-25975f01491f'];
    const puts = [
      store.put(`simulation.${ids[0]}`, { state: 'running' }),
      store.put(`simulation.${ids[1]}`, { state: 'running' }),
      store.put(`simulation.${ids[0]}`, { state: 'finished' }),
    ];
    await Promise.all(puts);
    expect(await store.get(`simulation.${ids[0]}`)).toEqual({ state: 'finished' });
    expect(await store.get(`simulation.${ids[1]}`)).toEqual({ state: 'running' });
    const { state } = await (await jetstreamManager(nc)).streams.info(RUN_RECORDS_STREAM);
    expect(state.messages).toBeGreaterThanOrEqual(2);
  });

  it('puts and gets a record, keeping the latest only, and finds none for an unknown key', async () => {
    const store = await openRunRecords(nc, { logger });
    await store.put(`queue.${RUN_ID}`, { state: 'running' });
    await store.put(`queue.${RUN_ID}`, { state: 'finished', totalMs: 12.5 });
    expect(await store.get(`queue.${RUN_ID}`)).toEqual({ state: 'finished', totalMs: 12.5 });
    expect(await store.get('queue.00000000-0000-0000-0000-000000000000')).toBeUndefined();
    const { state } = await (
      await jetstreamManager(nc)
    ).streams.info(RUN_RECORDS_STREAM, { subjects_filter: `$KV.${RUN_RECORDS_BUCKET}.queue.${RUN_ID}` });
    expect(state.subjects?.[`$KV.${RUN_RECORDS_BUCKET}.queue.${RUN_ID}`]).toBe(1);
  });

  it('refuses an oversized record with a clear error before sending it: past the bucket limit, or the server max_payload', async () => {
    const store = await openRunRecords(nc, { logger });
    const overBucket = { text: 'x'.repeat(RUN_RECORD_LIMITS.maxValueBytes) };
    await expect(store.put(`simulation.${RUN_ID}`, overBucket)).rejects.toThrow(RunRecordTooLargeError);
    await expect(store.put(`simulation.${RUN_ID}`, overBucket)).rejects.toThrow(
      new RegExp(
        `run record simulation.${RUN_ID} is \\d+ bytes, over the run records bucket limit of ${RUN_RECORD_LIMITS.maxValueBytes} bytes`,
      ),
    );
    // This test server keeps nats-server's default max_payload (1 MB); deploy/nats/nats.conf raises it above the bucket limit.
    const overPayload = { text: 'x'.repeat(2 * 1024 * 1024) };
    await expect(store.put(`simulation.${RUN_ID}`, overPayload)).rejects.toThrow(/over the NATS server's max_payload of 1048576 bytes/);
    expect(await store.get(`simulation.${RUN_ID}`)).toBeUndefined();
  });

  it('takes limits of its own, and the bucket itself refuses a record past its value size', async () => {
    const own = await startNatsServer();
    const ownNc = await connectToNats({ servers: own.url, name: 'run-records-limits', logger });
    try {
      const limits = { maxValueBytes: 4096, maxBytes: 1024 * 1024, maxAgeMs: 60_000 };
      await openRunRecords(ownNc, { logger, limits });
      const { config } = await (await jetstreamManager(ownNc)).streams.info(RUN_RECORDS_STREAM);
      expect([config.max_msg_size, config.max_bytes, config.max_age]).toEqual([4096, 1024 * 1024, nanos(60_000)]);
      // A store that skipped its own check meets the bucket's limit on the server.
      const careless = new RunRecordStore(await new Kvm(ownNc).open(RUN_RECORDS_BUCKET), {
        maxValueBytes: Infinity,
        maxPayloadBytes: Infinity,
      });
      await expect(careless.put(`queue.${RUN_ID}`, { text: 'x'.repeat(5000) })).rejects.toThrow(/message size exceeds maximum allowed/);
      // Opened again with other limits, it keeps the bucket as it is and says what differs.
      await openRunRecords(ownNc, { logger });
      const differ = logs.lines.find((line) => line.msg === 'run records bucket has other limits than this version; using it as it is');
      expect(String(differ?.['differ'])).toMatch(/max_msg_size 4096 \(wanted 6291456\)/);
    } finally {
      await drainNats(ownNc, logger);
      await own.stop();
    }
  });

  it('keeps a run: the archive writes it as it starts and ends, and another registry reads it back with its owner', async () => {
    const store = await openRunRecords(nc, { logger });
    const owner = thisProcessAsOwner();
    const archiveOf = () => runRecordArchive({ store, kind: 'queue', input: inputSchema, result: resultSchema, logger, owner });
    const here = new RunRegistry<{ items: number }, { totalMs: number }, never>({
      maxInFlight: 1,
      tooManyMessage: 'one at once',
      history: { maxRuns: 1 },
      archive: archiveOf(),
    });
    let finish = (_result: { totalMs: number }) => undefined as void;
    here.start(RUN_ID, { items: 3 }, () => new Promise((resolve) => (finish = resolve)));
    await here.recordsWritten();
    const elsewhere = new RunRegistry<{ items: number }, { totalMs: number }, never>({
      maxInFlight: 1,
      tooManyMessage: 'one at once',
      history: { maxRuns: 1 },
      archive: archiveOf(),
    });
    expect(await elsewhere.find(RUN_ID)).toMatchObject({ state: 'running', input: { items: 3 }, owner });
    finish({ totalMs: 42 });
    await here.get(RUN_ID)?.done;
    await here.recordsWritten();
    const ended = await elsewhere.find(RUN_ID);
    expect(ended).toMatchObject({ id: RUN_ID, state: 'finished', result: { totalMs: 42 }, owner });
    expect(ended?.endedAt?.getTime()).toBeGreaterThanOrEqual(ended?.createdAt.getTime() ?? Infinity);
    // A record of another kind under the same id is not this kind's.
    expect(
      await runRecordArchive({ store, kind: 'simulation', input: inputSchema, result: resultSchema, logger, owner }).load(RUN_ID),
    ).toBeUndefined();
  });

  it('with NATS down: logs what it waits for and what was lost, the run finishes as usual, a read says records are unavailable', async () => {
    const store = await openRunRecords(nc, { logger, timeoutMs: 1_500 });
    const archive = runRecordArchive({
      store,
      kind: 'simulation',
      input: inputSchema,
      result: resultSchema,
      logger,
      owner: thisProcessAsOwner(),
      slowWriteMs: 200,
    });
    const runs = new RunRegistry<{ items: number }, { totalMs: number }, never>({
      maxInFlight: 1,
      tooManyMessage: 'one at once',
      history: { maxRuns: 1 },
      archive,
    });
    const downId = '11111111-2222-4333-8444-555555555555';
    await server.kill();
    try {
      await runs.start(downId, { items: 1 }, async () => ({ totalMs: 7 })).done;
      expect(runs.get(downId)).toMatchObject({ state: 'finished', result: { totalMs: 7 } });
      await runs.recordsWritten();
      const waited = logs.lines.find(
        (line) => line.msg === 'run record waits for JetStream to store it (is NATS down?)' && line['runId'] === downId,
      );
      expect(waited).toMatchObject({ record: `simulation.${downId}` });
      const lost = logs.lines.filter(
        (line) => typeof line.msg === 'string' && line.msg.startsWith('run record not stored') && line['runId'] === downId,
      );
      expect(lost.map((line) => line['state'])).toEqual(['running', 'finished']);
      expect(lost[0]?.msg).toMatch(/answers the run from memory/);
      expect(await runs.find(downId)).toMatchObject({ state: 'finished' }); // from memory
      await expect(archive.load(downId)).rejects.toThrow(RunRecordsUnavailableError);
    } finally {
      await server.restart();
    }
  }, 30_000);
});
