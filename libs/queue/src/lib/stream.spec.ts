import { connectToNats, drainNats } from '@concurrency-lab/nats';
import { captureLogs, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import { AckPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueue } from './open-queue.js';
import { DEFAULT_ACK_WAIT_MS, eventsStreamConfig, MAX_DELIVER, queueStreamConfig, redeliveryBackoffMs } from './settings.js';
import { EVENTS_STREAM, ITEM_SUBJECT_ROOT, QUEUE_STREAM, READER_CONSUMER } from './subjects.js';

describe('the readers consumer over a real nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const { logger } = captureLogs('spec');

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ servers: server.url, name: 'stream-spec', logger });
    ({ jsm } = await openQueue(nc, 'coordinator'));
  });
  afterAll(async () => {
    await drainNats(nc, logger);
    await server?.stop();
  });

  it('brings a consumer left by an earlier version (30 s ack wait) to this one on start', async () => {
    await jsm.consumers.add(QUEUE_STREAM, {
      durable_name: READER_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(30_000),
      max_deliver: MAX_DELIVER,
      backoff: [30, 30, 30, 30, 30, 30, 60, 60, 60].map((seconds) => nanos(seconds * 1000)),
      filter_subject: `${ITEM_SUBJECT_ROOT}.>`,
    });
    await openQueue(nc, 'reader');
    const { config } = await jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER);
    expect(config.ack_wait).toBe(nanos(DEFAULT_ACK_WAIT_MS));
    expect(config.backoff?.[0]).toBe(nanos(DEFAULT_ACK_WAIT_MS));
  });

  it('keeps one replica of each stream by default, and NATS_REPLICAS copies where asked', async () => {
    for (const stream of [QUEUE_STREAM, EVENTS_STREAM]) expect((await jsm.streams.info(stream)).config.num_replicas).toBe(1);
    // A single server stores every stream once whatever it is asked; docker-compose.cluster.yml's smoke checks R3 for real.
    expect(queueStreamConfig(3).num_replicas).toBe(3);
    expect(eventsStreamConfig(3).num_replicas).toBe(3);
  });

  it('starts the back-off at the ack wait and doubles it, up to a minute', () => {
    expect(redeliveryBackoffMs(5_000)).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000, 60_000, 60_000]);
    expect(redeliveryBackoffMs(120_000)[0]).toBe(120_000); // never below the ack wait
  });
});
