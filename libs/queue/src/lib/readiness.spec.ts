import { closeHttpServer, createServiceApp, finishApp, Readiness, startHttpServer } from '@concurrency-lab/http';
import { connectToNats, drainNats, natsConnectionCheck } from '@concurrency-lab/nats';
import { captureLogs, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueue } from './open-queue.js';
import { queueReadinessChecks, READINESS_CACHE_MS } from './readiness.js';
import { ensureReaderConsumer } from './stream.js';
import { EVENTS_STREAM, QUEUE_STREAM, READER_CONSUMER } from './subjects.js';

interface Answer {
  status: number;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A reader's /readyz, as the reader app wires it, over a real nats-server. */
describe('GET /readyz of a reader over a real nats-server', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let readiness: Readiness;
  let server: Server;
  let base: string;
  const { logger, waitForLine } = captureLogs('spec', 'debug');

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectToNats({ servers: nats.url, name: 'readiness-spec', logger, reconnectTimeWaitMs: 50 });
    ({ jsm } = await openQueue(nc, 'reader'));
    readiness = new Readiness([natsConnectionCheck(nc), ...queueReadinessChecks(jsm, 'reader')]);
    server = await startHttpServer(finishApp(createServiceApp({ logger, service: 'reader', readiness })), { host: '127.0.0.1', port: 0, logger });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await closeHttpServer(server);
    await drainNats(nc, logger);
    await nats?.stop();
  });

  const probe = async (): Promise<Answer> => {
    const response = await fetch(`${base}/readyz`);
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.json() };
  };
  /** Answers change once the cached look-ups expire: poll, well past the cache. */
  const eventually = (predicate: (answer: Answer) => boolean) =>
    expect.poll(async () => predicate(await probe()), { timeout: READINESS_CACHE_MS * 4 + 5_000, interval: 100 }).toBe(true);

  it('answers 200 when connected and the streams and the consumer exist', async () => {
    const { status, body } = await probe();
    expect(status).toBe(200);
    expect(body).toEqual({
      status: 'ready',
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
    for (let probes = 0; probes < 50; probes++) expect((await probe()).status).toBe(200);
    const periods = Math.ceil((performance.now() - started) / READINESS_CACHE_MS) + 1;
    await monitor.flush();
    expect(lookups).toBeLessThanOrEqual(2 * periods);
    await drainNats(monitor, logger);
  });

  it('answers 503 naming the consumer when it is deleted, and 200 once it is back', async () => {
    await jsm.consumers.delete(QUEUE_STREAM, READER_CONSUMER);
    await eventually(({ status, body }) => status === 503 && body.failing.join() === 'consumer');
    const { type, body } = await probe();
    expect(type).toContain('application/problem+json');
    expect(body).toMatchObject({ title: 'Not ready', detail: `consumer: consumer ${READER_CONSUMER} of stream ${QUEUE_STREAM} not found` });
    await ensureReaderConsumer(jsm);
    await eventually(({ status }) => status === 200);
  });

  it('answers 503 naming the streams when the queue stream is deleted, and 200 once it is back', async () => {
    await jsm.streams.delete(QUEUE_STREAM);
    await eventually(({ status, body }) => status === 503 && body.failing.includes('streams'));
    const { body } = await probe();
    expect(body.checks.streams).toEqual({ status: 'failed', reason: `stream ${QUEUE_STREAM} not found` });
    expect(body.checks.nats.status).toBe('ok');
    await openQueue(nc, 'reader');
    await eventually(({ status }) => status === 200);
  });

  it('answers 503 naming nats while nats-server is stopped, and 200 once the client has reconnected', async () => {
    await nats.kill();
    await waitForLine((line) => line.msg === 'disconnected from NATS');
    // The connection's state is the client's own: no cache delays it.
    const { status, body } = await probe();
    expect(status).toBe(503);
    expect(body.failing).toContain('nats');
    expect(body.checks.nats).toEqual({ status: 'failed', reason: 'disconnected from NATS; reconnecting' });
    await nats.restart();
    await waitForLine((line) => line.msg === 'reconnected to NATS');
    await eventually(({ status: after }) => after === 200);
  });

  it('answers 503 naming shutdown once the service shuts down, though all else is well', async () => {
    expect((await probe()).status).toBe(200);
    readiness.shutDown();
    const { status, body } = await probe();
    expect(status).toBe(503);
    expect(body).toMatchObject({ failing: ['shutdown'], checks: { shutdown: { status: 'failed', reason: 'the service is shutting down' } } });
  });
});
