import { createCoordinatorClient, type QueueRunRequest } from '@concurrency-lab/api-client';
import type { LogLine } from '@concurrency-lab/local-system';
import { DEFAULT_ACK_WAIT_MS } from '@concurrency-lab/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEveryItemOnce, items, type Entry } from './support/queue-answers.js';
import { startSystem, type RunningSystem } from './support/system.js';

/**
 * A reader killed mid-run, with the ack wait as shipped: its items come back
 * within about the ack wait, and the coordinator says why the run waits.
 */
describe('queue recovery after a reader crash, with real processes', () => {
  let system: RunningSystem;
  const ackWaitMs = DEFAULT_ACK_WAIT_MS;
  beforeAll(async () => {
    system = await startSystem({ reader: { ACK_WAIT_MS: String(ackWaitMs) } });
  });
  afterAll(async () => {
    await system?.stop();
  });
  /** A queue run that must answer 200 with its report (the typed client holds it to that). */
  const queueRun = (request: QueueRunRequest) => createCoordinatorClient({ baseUrl: system.baseUrl }).queueRun(request);

  it('kill -9 a reader mid-run: nothing lost, the redelivery counted and explained, at most an ack wait + 3 s later than without the kill', async () => {
    const victim = system.services.reader;
    const others = await Promise.all([system.startService('reader'), system.startService('reader')]);
    const body = (prefix: string) => ({ items: items(60, prefix), writeDelayMs: 0, readDelayMs: 200, readerStart: 'concurrent' }) as const;
    const baseline = await queueRun(body('baseline'));

    const running = queueRun(body('crash'));
    // Mid-run, holding an item: the victim has read two of the run's items and has just started its third.
    const crashRead = (line: LogLine) => line.msg === 'read started' && String(line['item']).startsWith('crash');
    await victim.waitForLine((line) => crashRead(line) && victim.lines.filter(crashRead).length >= 3);
    victim.child.kill('SIGKILL');
    const answer = await running;
    expectEveryItemOnce(answer.timeline, body('crash').items);
    expect(answer.redelivered).toBeGreaterThanOrEqual(1);
    const again = answer.timeline.filter((entry: Entry) => entry.deliveryCount > 1);
    expect(again.every((entry: Entry) => others.some((reader) => reader.pid === entry.readerPid))).toBe(true);
    // The survivors say they read a redelivery, and that its first delivery was never acknowledged.
    const redeliveredLines = system.linesOfAll(
      (line) => String(line.msg).startsWith('reading a redelivered item') && line['runId'] === answer.runId,
    );
    expect(redeliveredLines.length).toBeGreaterThanOrEqual(1);
    const extraMs = answer.totalMs - baseline.totalMs;
    console.info(
      `reader kill: ${answer.totalMs} ms against ${baseline.totalMs} ms without (+${Math.round(extraMs)} ms; ack wait ${ackWaitMs} ms)`,
    );
    expect(extraMs).toBeLessThanOrEqual(ackWaitMs + 3_000);
    system.services.reader = others[0]!;
    await others[1]!.stop();
  });

  it('a run stalled on a killed reader is explained in the log: how many, which, when they come back', async () => {
    const victim = system.services.reader;
    const expected = items(2, 'stall');
    // One reader alone: once it dies, nothing moves until the ack wait passes. The next reader starts once the coordinator has said so.
    const running = queueRun({ items: expected, writeDelayMs: 0, readDelayMs: 1_500, readerStart: 'after-writer' });
    const started = await victim.waitForLine((line) => line.msg === 'read started' && line['item'] === 'stall-1');
    victim.child.kill('SIGKILL');
    await system.services.coordinator.waitForLine(
      (line) => String(line.msg).startsWith('run waiting on items held by a reader') && line['runId'] === started['runId'],
      15_000,
    );
    const survivor = await system.startService('reader');
    const body = await running;
    expectEveryItemOnce(body.timeline, expected);
    const [stalled] = system.linesOfAll(
      (line) => String(line.msg).startsWith('run waiting on items held by a reader') && line['runId'] === body.runId,
    );
    expect(stalled).toMatchObject({ ackWaitMs: ackWaitMs });
    expect(Number(stalled?.['unread'])).toBeGreaterThanOrEqual(1);
    expect(String(stalled?.['seqs'])).toMatch(/^1/);
    expect(typeof stalled?.['redeliveryExpectedBy']).toBe('string');
    system.services.reader = survivor;
  });
});
