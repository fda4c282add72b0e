import type { ReadBatch, ReadRecord } from '@concurrency-lab/queue';
import { describe, expect, it } from 'vitest';
import { RunCollector, type RunDescription } from './run-collector.js';

const attempt = '11111111-1111-4111-8111-111111111111';
const runId = '22222222-2222-4222-8222-222222222222';
const description: RunDescription = {
  runId,
  transport: 'jetstream',
  readerStart: 'after-writer',
  writeDelayMs: 0,
  readDelayMs: 0,
  writerPid: 9,
};
const read = (seq: number, deliveryCount = 1, at = 100): ReadRecord => ({
  seq,
  item: `i${seq}`,
  writtenAt: 10,
  writerPid: 9,
  writerHost: 'w',
  readStartedAt: at,
  readAt: at + 5,
  deliveryCount,
});
const batch = (readerPid: number, reads: ReadRecord[], handedBack?: number[]): { kind: 'reads'; batch: ReadBatch } => ({
  kind: 'reads',
  batch: { runId, readerPid, readerHost: 'r', reads, ...(handedBack && { handedBack }) },
});
const finished = (written: number, duplicates = 0, of = attempt) => ({
  kind: 'writer-finished' as const,
  event: { runId, attempt: of, written, duplicates, writerPid: 9 },
});

describe('RunCollector', () => {
  it('a healthy run: every item read once, nothing redelivered', () => {
    const collector = new RunCollector(3, attempt);
    collector.apply(batch(1, [read(1), read(2)]));
    expect(collector.allRead).toBe(false);
    expect(collector.unreadSeqs()).toEqual([3]);
    collector.apply(batch(2, [read(3)]));
    collector.apply(finished(3));
    expect(collector.allRead && collector.writerDone).toBe(true);
    const report = collector.report(description, 0, 3_000);
    expect(report).toMatchObject({
      items: 3,
      reads: 3,
      readOnce: 3,
      readAgain: 0,
      duplicateReads: 0,
      redelivered: 0,
      handedBack: 0,
      totalMs: 3_000,
    });
    expect(report.readers).toEqual([
      { host: 'r', pid: 1, items: 2 },
      { host: 'r', pid: 2, items: 1 },
    ]);
  });

  it('counts each item once however often it is read, and says how often it was', () => {
    const collector = new RunCollector(2, attempt);
    collector.apply(batch(1, [read(1), read(2)]));
    collector.apply(batch(2, [read(2, 2, 300)])); // reader 1 died after reporting, before acking: read again
    const report = collector.report(description, 0, 1_000);
    expect(report.timeline.map((entry) => [entry.seq, entry.reads, entry.readerPid])).toEqual([
      [1, 1, 1],
      [2, 2, 1],
    ]);
    expect(report).toMatchObject({ reads: 3, readOnce: 1, readAgain: 1, duplicateReads: 1, redelivered: 0 });
  });

  it('tells a redelivery after a fault from a hand-back on purpose', () => {
    const collector = new RunCollector(3, attempt);
    collector.apply(batch(1, [], [2]));
    collector.apply(batch(2, [read(1), read(2, 2), read(3, 2)]));
    const report = collector.report(description, 0, 1_000);
    expect(report.timeline.map((entry) => [entry.seq, entry.deliveryCount, entry.handedBack])).toEqual([
      [1, 1, 0],
      [2, 2, 1],
      [3, 2, 0],
    ]);
    expect(report).toMatchObject({ redelivered: 1, handedBack: 1 });
  });

  it("ignores reads beyond the run's items and an earlier attempt's ending", () => {
    const collector = new RunCollector(1, attempt);
    collector.apply(batch(1, [read(5)]));
    collector.apply(finished(1, 0, '33333333-3333-4333-8333-333333333333'));
    expect(collector.readCount).toBe(0);
    expect(collector.writerDone).toBe(false);
    collector.apply(finished(1, 1));
    expect(collector).toMatchObject({ writerDone: true, alreadyStored: 1, written: 1 });
  });

  it('takes a failed writer at its word, and a heartbeat only as a lower bound', () => {
    const collector = new RunCollector(4, attempt);
    collector.writerProgress(2);
    collector.writerProgress(1);
    expect(collector.written).toBe(2);
    collector.apply({ kind: 'writer-failed', event: { runId, attempt, written: 3, duplicates: 0, writerPid: 9, error: 'boom' } });
    expect(collector).toMatchObject({ written: 3, writerFailure: 'boom', writerDone: false });
  });

  it('gives items per second to one decimal: a slow lesson run is not 0', () => {
    const collector = new RunCollector(3, attempt);
    collector.apply(batch(1, [read(1), read(2), read(3)]));
    expect(collector.report(description, 0, 15_432).itemsPerSecond).toBe(0.2);
    expect(collector.report(description, 0, 0).itemsPerSecond).toBe(0);
  });
});
