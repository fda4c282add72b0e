import { connectToNats, drainNats, encodeMessage } from '@concurrency-lab/nats';
import { writerHeartbeatSubject, type WriterHeartbeat } from '@concurrency-lab/queue';
import { captureLogs, startNatsServer, waitFor, type NatsServerHandle } from '@concurrency-lab/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriterLease } from './writer-lease.js';

const LEASE_MS = 300;

describe('the writer lease over a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  const { logger } = captureLogs('writer-lease-spec');

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ servers: server.url, name: 'writer-lease-spec', logger });
  });
  afterAll(async () => {
    await drainNats(nc, logger);
    await server?.stop();
  });

  /** A watched lease on a new run, and a way to beat as its writer would. */
  async function watchedLease() {
    const runId = randomUUID();
    const seen = { written: 0, lapsedAt: undefined as number | undefined };
    const lease = new WriterLease(nc, runId, LEASE_MS, logger, {
      progress: (written) => (seen.written = written),
      lapsed: () => (seen.lapsedAt ??= performance.now()),
    });
    await nc.flush(); // the lease's subscription is on the server before any beat
    lease.watch();
    const beat = async (heartbeat: Partial<WriterHeartbeat>) => {
      nc.publish(writerHeartbeatSubject(runId), encodeMessage({ runId, written: 0, writerPid: process.pid, ...heartbeat }));
      await nc.flush();
    };
    return { lease, seen, beat };
  }

  it('lapses once a writer that has not ended goes silent for the lease', async () => {
    const { lease, seen, beat } = await watchedLease();
    await beat({ written: 5 });
    const lastBeat = performance.now();
    await waitFor('the lease to lapse', () => seen.lapsedAt !== undefined, { timeoutMs: 5_000 });
    expect(seen.written).toBe(5);
    expect(seen.lapsedAt! - lastBeat).toBeGreaterThanOrEqual(LEASE_MS - 50);
    lease.stop();
  });

  it('never lapses after the last beat says the end event is stored, however long the events take', async () => {
    const { lease, seen, beat } = await watchedLease();
    await beat({ written: 80, ended: true });
    await waitFor('the last beat to arrive', () => seen.written === 80, { timeoutMs: 5_000 });
    // Three lease periods of silence: a lease still watching would have lapsed by now (the spec above shows it does).
    await new Promise((resolve) => setTimeout(resolve, 3 * LEASE_MS));
    expect(seen.lapsedAt).toBeUndefined();
    lease.stop();
  });
});
