import { connectToNats, drainNats } from '@concurrency-lab/nats';
import {
  captureLogs,
  startNatsCluster,
  startNatsServer,
  waitFor,
  type NatsClusterHandle,
  type NatsServerHandle,
} from '@concurrency-lab/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueue } from './open-queue.js';
import { eventsStreamConfig, queueStreamConfig, readerConsumerConfig } from './settings.js';
import { EVENTS_STREAM, QUEUE_STREAM, READER_CONSUMER } from './subjects.js';

const { logger } = captureLogs('spec');

/** The replica counts JetStream reports for the two streams and the readers' consumer. */
async function replicaCounts(jsm: JetStreamManager) {
  const [queue, events, consumer] = await Promise.all([
    jsm.streams.info(QUEUE_STREAM),
    jsm.streams.info(EVENTS_STREAM),
    jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER),
  ]);
  return { queue: queue.config.num_replicas, events: events.config.num_replicas, consumer: consumer.config.num_replicas };
}

describe('replicas (NATS_REPLICAS) in the queue settings', () => {
  it('are 1 unless given, and the number given otherwise', () => {
    expect(queueStreamConfig().num_replicas).toBe(1);
    expect(eventsStreamConfig().num_replicas).toBe(1);
    expect(readerConsumerConfig().num_replicas).toBe(1);
    expect(queueStreamConfig(3).num_replicas).toBe(3);
    expect(eventsStreamConfig(3).num_replicas).toBe(3);
    expect(readerConsumerConfig(5_000, 3).num_replicas).toBe(3);
  });
});

describe('replicas on a single nats-server', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectToNats({ servers: server.url, name: 'replicas-spec', logger });
  });
  afterAll(async () => {
    await drainNats(nc, logger);
    await server?.stop();
  });

  it('creates everything with one replica, and refuses three naming the setting to change', async () => {
    const { jsm } = await openQueue(nc, 'reader');
    expect(await replicaCounts(jsm)).toEqual({ queue: 1, events: 1, consumer: 1 });
    await expect(openQueue(nc, 'reader', { replicas: 3 })).rejects.toThrow(
      /^NATS_REPLICAS=3 needs a JetStream cluster, but this NATS server runs alone: set NATS_REPLICAS=1 \(consumer readers could not be created/,
    );
  });
});

describe('replicas on a three-node JetStream cluster', () => {
  let cluster: NatsClusterHandle;
  let nc: NatsConnection;
  beforeAll(async () => {
    cluster = await startNatsCluster({ nodes: 3 });
    await cluster.waitForClusterReady();
    nc = await connectToNats({ servers: cluster.urls, name: 'replicas-spec', logger });
  }, 60_000);
  afterAll(async () => {
    if (nc) await drainNats(nc, logger);
    await cluster?.stop();
  });

  it('brings streams and consumer left at one replica to three (R1 -> R3), and back', async () => {
    const { jsm } = await openQueue(nc, 'reader');
    expect(await replicaCounts(jsm)).toEqual({ queue: 1, events: 1, consumer: 1 });
    await openQueue(nc, 'reader', { replicas: 3 });
    expect(await replicaCounts(jsm)).toEqual({ queue: 3, events: 3, consumer: 3 });
    // Two more copies besides the leader's, caught up.
    await waitFor('LAB_QUEUE on three nodes', async () => {
      const { cluster: placement } = await jsm.streams.info(QUEUE_STREAM);
      const current = placement?.replicas?.filter((replica) => replica.current) ?? [];
      return (placement?.leader !== undefined && current.length === 2) || undefined;
    });
    await openQueue(nc, 'writer', { replicas: 3 }); // identical settings: a no-op
    await openQueue(nc, 'reader', { replicas: 1 });
    expect(await replicaCounts(jsm)).toEqual({ queue: 1, events: 1, consumer: 1 });
  }, 60_000);
});
