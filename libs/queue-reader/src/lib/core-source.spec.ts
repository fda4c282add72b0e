import { connectToNats, drainNats, encodeMessage } from '@concurrency-lab/nats';
import { captureLogs, startNatsServer, type NatsServerHandle } from '@concurrency-lab/testing';
import { coreItemSubject, encodeCoreItem, itemSubject, type QueueItem } from '@concurrency-lab/queue';
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
  const { logger, waitForLine, lines: logLines } = captureLogs('spec');

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
    writerNc.publish(coreItemSubject(runId, 1), new TextEncoder().encode('{not an item'));
    // Then bursts of 50 apart from each other, so the source goes idle between them and must wake again.
    for (let burst = 0; burst < 2; burst++) {
      for (let seq = burst * 50 + 1; seq <= burst * 50 + 50; seq++)
        writerNc.publish(coreItemSubject(runId, seq), encodeCoreItem(itemOf(seq)));
      await writerNc.flush();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await done;
    await waitForLine((line) => line.msg === 'malformed item discarded' && line['runId'] === runId);
    await source.stop();
    await running;
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('discards what is not a core item, logging the run its subject names, and reads the good items around it', async () => {
    const source = new CoreItemSource(readerNc, new PauseGate(), logger);
    await readerNc.flush();
    const seen: QueueItem[] = [];
    let goodOneRead: () => void = () => undefined;
    const read = new Promise<void>((resolve) => (goodOneRead = resolve));
    const running = source.run((delivery: Delivery) => {
      seen.push(delivery.item);
      goodOneRead();
      return undefined;
    });
    const otherRun = randomUUID();
    const good = { ...itemOf(1), runId: otherRun, item: 'élan ✓', writerHost: 'hôte', writtenAt: 1_764_694_000_123.456 };
    const bad: [string, Uint8Array][] = [
      [itemSubject(otherRun, 'core'), encodeCoreItem(good)], // no seq in the subject: the JSON era's subject
      [coreItemSubject(otherRun, 0), encodeCoreItem(good)], // seq 0
      [`${itemSubject(otherRun, 'core')}.x`, encodeCoreItem(good)], // a seq that is no number
      [coreItemSubject(otherRun, 2), encodeMessage(good)], // a JSON item, as a writer of the earlier version sends
      [coreItemSubject(otherRun, 3), encodeCoreItem(good).subarray(0, 20)], // cut short in its head
      [coreItemSubject(otherRun, 4), encodeCoreItem({ ...good, item: 'x' }).subarray(0, 27)], // no item after the host
      [coreItemSubject(otherRun, 5), Uint8Array.of(...encodeCoreItem({ ...good, item: 'x' }).subarray(0, 27), 0xff)], // not UTF-8
      [coreItemSubject(otherRun, 6), new Uint8Array(0)], // empty
      ['lab.core.items.not-a-run.1', encodeCoreItem(good)], // a run id that is no UUID: logged without one
    ];
    for (const [subject, payload] of bad) writerNc.publish(subject, payload);
    writerNc.publish(coreItemSubject(otherRun, 7), encodeCoreItem(good));
    await writerNc.flush();
    await read;
    // Handled in order: the last bad message was logged before the good one was read.
    const last = await waitForLine((line) => line.msg === 'malformed item discarded' && line['subject'] === 'lab.core.items.not-a-run.1');
    expect(last['runId']).toBeUndefined();
    const discarded = logLines.filter((line) => line.msg === 'malformed item discarded' && line['runId'] === otherRun);
    expect(discarded.map((line) => line['subject'])).toEqual(bad.slice(0, -1).map(([subject]) => subject));
    await source.stop();
    await running;
    expect(seen).toEqual([{ ...good, seq: 7 }]);
  });
});
