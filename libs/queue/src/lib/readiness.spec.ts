import { Readiness, type ReadinessReport } from '@concurrency-lab/lifecycle';
import { connectToNats, drainNats, natsConnectionCheck } from '@concurrency-lab/nats';
import { captureLogs, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueue } from './open-queue.js';
import { READINESS_CACHE_MS } from '@concurrency-lab/nats';
import { queueReadinessChecks } from './readiness.js';
import { ensureReaderConsumer } from './stream.js';
import { EVENTS_STREAM, QUEUE_STREAM, READER_CONSUMER } from './subjects.js';

/** The failing checks' names, as GET /readyz's 503 lists them. */
const failingOf = ({ checks }: ReadinessReport) => Object.keys(checks).filter((name) => checks[name]?.status === 'failed');

/**
 * A reader's readiness, as the reader app wires it, over a real nats-server.
 * How a report becomes GET /readyz's answer is libs/http's (its readiness spec).
 */
describe('readiness of a reader over a real nats-server', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let readiness: Readiness;
  const { logger, waitForLine } = captureLogs('spec', 'debug');

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectToNats({ servers: nats.url, name: 'readiness-spec', logger, reconnectTimeWaitMs: 50 });
    ({ jsm } = await openQueue(nc, 'reader'));
    readiness = new Readiness([natsConnectionCheck(nc), ...queueReadinessChecks(jsm, 'reader')]);
  });
  afterAll(async () => {
    await drainNats(nc, logger);
    await nats?.stop();
  });

  const probe = () => readiness.report();
  /** Answers change once the cached look-ups expire: poll, well past the cache. */
  const eventually = (predicate: (report: ReadinessReport) => boolean) =>
    expect.poll(async () => predicate(await probe()), { timeout: READINESS_CACHE_MS * 4 + 5_000, interval: 100 }).toBe(true);

  it('is ready when connected and the streams and the consumer exist', async () => {
    expect(await probe()).toEqual({
      ready: true,
      checks: {
        nats: { status: 'ok', server: `127.0.0.1:${nats.port}` },
        streams: { status: 'ok', streams: [QUEUE_STREAM, EVENTS_STREAM] },
        consumer: { status: 'ok', consumer: READER_CONSUMER },
        shutdown: { status: 'ok' },
      },
    });
  });

  it('asks JetStream at most once per stream per cache period, however often it is probed', async () => {
    const monitor = await connectToNats({ servers: nats.url, name: 'monitor', logger });
    let lookups = 0;
    monitor.subscribe('$JS.API.STREAM.INFO.*', {
      callback: () => {
        lookups++;
      },
    });
    await monitor.flush();
    const started = performance.now();
    for (let probes = 0; probes < 50; probes++) expect((await probe()).ready).toBe(true);
    const periods = Math.ceil((performance.now() - started) / READINESS_CACHE_MS) + 1;
    await monitor.flush();
    expect(lookups).toBeLessThanOrEqual(2 * periods);
    await drainNats(monitor, logger);
  });

  it('is not ready, naming the consumer, when it is deleted, and ready once it is back', async () => {
    await jsm.consumers.delete(QUEUE_STREAM, READER_CONSUMER);
    await eventually((report) => !report.ready && failingOf(report).join() === 'consumer');
    expect((await probe()).checks['consumer']).toEqual({
      status: 'failed',
      reason: `consumer ${READER_CONSUMER} of stream ${QUEUE_STREAM} not found`,
    });
    await ensureReaderConsumer(jsm);
    await eventually(({ ready }) => ready);
  });

  it('is not ready, naming the streams, when the queue stream is deleted, and ready once it is back', async () => {
    await jsm.streams.delete(QUEUE_STREAM);
    await eventually((report) => !report.ready && failingOf(report).includes('streams'));
    const { checks } = await probe();
    expect(checks['streams']).toEqual({ status: 'failed', reason: `stream ${QUEUE_STREAM} not found` });
    expect(checks['nats']?.status).toBe('ok');
    await openQueue(nc, 'reader');
    await eventually(({ ready }) => ready);
  });

  it('is not ready, naming nats, while nats-server is stopped, and ready once the client has reconnected', async () => {
    await nats.kill();
    await waitForLine((line) => line.msg === 'disconnected from NATS');
    // The connection's state is the client's own: no cache delays it.
    const report = await probe();
    expect(report.ready).toBe(false);
    expect(failingOf(report)).toContain('nats');
    expect(report.checks['nats']).toEqual({ status: 'failed', reason: 'disconnected from NATS; reconnecting' });
    await nats.restart();
    await waitForLine((line) => line.msg === 'reconnected to NATS');
    await eventually(({ ready }) => ready);
  });

  it('is not ready, naming shutdown, once the service shuts down, though all else is well', async () => {
    expect((await probe()).ready).toBe(true);
    readiness.shutDown();
    const report = await probe();
    expect(report.ready).toBe(false);
    expect(failingOf(report)).toEqual(['shutdown']);
    expect(report.checks).toMatchObject({ shutdown: { status: 'failed', reason: 'the service is shutting down' } });
  });
});
