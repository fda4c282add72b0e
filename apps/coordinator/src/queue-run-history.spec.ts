import type { QueueRunReport } from '@concurrency-lab/queue-runs';
import { describe, expect, it } from 'vitest';
import { QueueRunHistory } from './queue-run-history.js';

function report(runId: string, items: number): QueueRunReport {
  const entry = { seq: 1, item: 'x', writtenAtMs: 0, writerPid: 1, writerHost: 'h', readStartedAtMs: 1, readAtMs: 2, readerPid: 2, readerHost: 'h', queuedMs: 1, deliveryCount: 1, reads: 1, handedBack: 0 };
  return {
    runId,
    items,
    transport: 'jetstream',
    readerStart: 'concurrent',
    writeDelayMs: 0,
    readDelayMs: 0,
    totalMs: 2,
    itemsPerSecond: 500,
    writerPid: 1,
    readerPids: [2],
    readers: [{ host: 'h', pid: 2, items }],
    reads: items,
    readOnce: items,
    readAgain: 0,
    duplicateReads: 0,
    redelivered: 0,
    handedBack: 0,
    alreadyStored: 0,
    timeline: Array.from({ length: items }, (_, i) => ({ ...entry, seq: i + 1 })),
  };
}

describe('QueueRunHistory', () => {
  it('keeps the latest runs, dropping the oldest past the run limit', () => {
    const history = new QueueRunHistory({ runs: 2, entries: 1_000 });
    for (const id of ['a', 'b', 'c']) history.add(report(id, 1));
    expect([history.get('a'), history.get('b')?.runId, history.get('c')?.runId]).toEqual([undefined, 'b', 'c']);
  });

  it('drops the oldest past the entry limit, but always keeps the newest', () => {
    const history = new QueueRunHistory({ runs: 10, entries: 5 });
    history.add(report('a', 3));
    history.add(report('b', 3));
    expect([history.get('a'), history.get('b')?.runId]).toEqual([undefined, 'b']);
    history.add(report('huge', 50));
    expect(history.size).toBe(1);
    expect(history.get('huge')?.items).toBe(50);
  });

  it('replaces the report of a retried run, counting its entries once', () => {
    const history = new QueueRunHistory({ runs: 10, entries: 6 });
    history.add(report('a', 3));
    history.add(report('a', 3));
    history.add(report('b', 3));
    expect([history.get('a')?.runId, history.get('b')?.runId]).toEqual(['a', 'b']);
  });
});
