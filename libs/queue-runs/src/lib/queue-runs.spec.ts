import { TooManyRunsError } from '@concurrency-lab/runs';
import { describe, expect, it } from 'vitest';
import { QueueRuns } from './queue-runs.js';
import { QueueRunError, type QueueRunReport } from './run-report.js';
import { QUEUE_RUN_LIMITS, queueRunRequestSchema } from './run-request.js';

function report(runId: string, items: number): QueueRunReport {
  const entry = {
    seq: 1,
    item: 'x',
    writtenAtMs: 0,
    writerPid: 1,
    writerHost: 'h',
    readStartedAtMs: 1,
    readAtMs: 2,
    readerPid: 2,
    readerHost: 'h',
    queuedMs: 1,
    deliveryCount: 1,
    reads: 1,
    handedBack: 0,
  };
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

const request = (runId: string) => ({ ...queueRunRequestSchema.parse({}), runId });

/** A history of reports, added the way finished runs add them. */
async function historyOf(limits: { runs: number; entries: number }) {
  const runs = new QueueRuns({ history: limits });
  return {
    add: (added: QueueRunReport) => runs.run(request(added.runId), async () => added),
    get: (runId: string) => runs.report(runId),
    runs,
  };
}

describe('QueueRuns history', () => {
  it('keeps the latest runs, dropping the oldest past the run limit', async () => {
    const history = await historyOf({ runs: 2, entries: 1_000 });
    for (const id of ['a', 'b', 'c']) await history.add(report(id, 1));
    expect([history.get('a'), history.get('b')?.runId, history.get('c')?.runId]).toEqual([undefined, 'b', 'c']);
  });

  it('drops the oldest past the entry limit, but always keeps the newest', async () => {
    const history = await historyOf({ runs: 10, entries: 5 });
    await history.add(report('a', 3));
    await history.add(report('b', 3));
    expect([history.get('a'), history.get('b')?.runId]).toEqual([undefined, 'b']);
    await history.add(report('huge', 50));
    expect([history.get('b'), history.get('huge')?.items]).toEqual([undefined, 50]);
  });

  it('replaces the report of a retried run, counting its entries once', async () => {
    const history = await historyOf({ runs: 10, entries: 6 });
    await history.add(report('a', 3));
    await history.add(report('a', 3));
    await history.add(report('b', 3));
    expect([history.get('a')?.runId, history.get('b')?.runId]).toEqual(['a', 'b']);
  });
});

describe('QueueRuns', () => {
  it(`refuses a run past ${QUEUE_RUN_LIMITS.maxRunsInFlight} in flight, keeps no failed run, and counts each outcome`, async () => {
    const ended: string[] = [];
    const runs = new QueueRuns({ observer: { runEnded: (transport, outcome) => ended.push(`${transport} ${outcome}`) } });
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = Array.from({ length: QUEUE_RUN_LIMITS.maxRunsInFlight }, (_, i) =>
      runs.run(request(`held-${i}`), async () => {
        await held;
        return report(`held-${i}`, 1);
      }),
    );
    expect(() => runs.run(request('extra'), async () => report('extra', 1))).toThrow(TooManyRunsError);
    release();
    await Promise.all(holding);
    const failure = new QueueRunError('timeout', 'no reader read the items in time', 'failed-run', { read: 0, items: 1 });
    await expect(runs.run(request('failed-run'), () => Promise.reject(failure))).rejects.toBe(failure);
    await expect(runs.run(request('broken'), () => Promise.reject(new Error('NATS down')))).rejects.toThrow('NATS down');
    expect(runs.report('failed-run')).toBeUndefined();
    expect(ended.filter((line) => line === 'jetstream finished')).toHaveLength(QUEUE_RUN_LIMITS.maxRunsInFlight);
    expect(ended.slice(-2)).toEqual(['jetstream timeout', 'jetstream error']);
  });
});
