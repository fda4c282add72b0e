import { connectToNats, drainNats, encodeMessage } from '@concurrency-lab/nats';
import { captureLogs, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import { itemSubject, type QueueItem } from '@concurrency-lab/queue';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreItemSource } from './core-source.js';
import type { Delivery } from './item-source.js';
import { PauseGate } from './pause-gate.js';

const runId = randomUUID();
const itemOf = (seq: number): QueueItem => ({
  runId,
  seq,
  total: 100,
  item: `i${seq}`,
  readDelayMs: 0,
  writtenAt: 1,
  writerPid: 2,
  writerHost: 'w',
});

describe('CoreItemSource over a real nats-server', () => {
  let server: NatsServerHandle;
  let readerNc: NatsConnection;
  let writerNc: NatsConnection;
  const { logger, waitForLine } = captureLogs('spec');

  beforeAll(async () => {
    server = await startNatsServer();
    readerNc = await connectToNats({ servers: server.url, name: 'core-source-spec-reader', logger });
    writerNc = await connectToNats({ servers: server.url, name: 'core-source-spec-writer', logger });
  });
  afterAll(async () => {
    await drainNats(writerNc, logger);
    await drainNats(readerNc, logger);
    await server.stop();
  });

  it('hands on every item in order, whether handled at once or after a wait, burst after burst', async () => {
    const source = new CoreItemSource(readerNc, new PauseGate(), logger);
    await readerNc.flush(); // the subscription is known to the server before anything is published
    const seen: number[] = [];
    let allSeen: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allSeen = resolve));
    const running = source.run((delivery: Delivery) => {
      seen.push(delivery.item.seq);
      if (seen.length === 100) allSeen();
      // Every fiftieth item waits, as a full report window makes it: the others are done with at once.
      return delivery.item.seq % 50 === 0 ? new Promise<void>((resolve) => setTimeout(resolve, 5)) : undefined;
    });
    // First a malformed body: logged with the run id its subject names, and the source keeps going.
    writerNc.publish(itemSubject(runId, 'core'), new TextEncoder().encode('{not an item'));
    // Then bursts of 50 apart from each other, so the source goes idle between them and must wake again.
    for (let burst = 0; burst < 2; burst++) {
      for (let seq = burst * 50 + 1; seq <= burst * 50 + 50; seq++)
        writerNc.publish(itemSubject(runId, 'core'), encodeMessage(itemOf(seq)));
      await writerNc.flush();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await done;
    await waitForLine((line) => line.msg === 'malformed item discarded' && line['runId'] === runId);
    await source.stop();
    await running;
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});
