import { createCoordinatorClient } from '@concurrency-lab/api-client';
import { nodeChildPids, type LogLine, type ServiceProcess } from '@concurrency-lab/testing';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyz, watchReadiness, type ReadyzAnswer } from './support/readiness.js';
import { postJson, startSystem, type RunningSystem } from './support/system.js';

/** libs/lifecycle's grace period: a service still shutting down after it exits 1 (compose waits 10 s, then kills). */
const GRACE_MS = 8_000;

type Entry = { seq: number; item: string; deliveryCount: number; readerPid: number };

const itemsOf = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
const ofRun = (runId: string, msg: string) => (line: LogLine) => line['runId'] === runId && line.msg === msg;

/** Each item once, all of them, in sequence order. */
function expectEveryItemOnce(timeline: Entry[], expected: string[]) {
  expect(timeline.map((entry) => entry.item)).toEqual(expected);
  expect(timeline.map((entry) => entry.seq)).toEqual(expected.map((_, index) => index + 1));
}

/** Alive, and not a zombie waiting for its new parent to reap it (that one is gone, just not yet buried). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .startsWith('Z');
  } catch {
    return false; // gone between the two looks
  }
}

describe('SIGTERM mid-work, per service', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  const coordinatorUrl = () => system.urlOf(system.services.coordinator);
  const queueRun = (body: unknown) => postJson(`${coordinatorUrl()}/queue-runs`, body);

  /**
   * SIGTERM, and what a graceful stop promises: exit 0 within the grace
   * period; "shutting down", the NATS drain and "shutdown complete" logged in
   * that order; /readyz ready before, and never again once the shutdown began
   * (a probe that gets an answer meanwhile gets 503 naming the shutdown).
   */
  async function terminate(service: ServiceProcess): Promise<ReadyzAnswer[]> {
    const watching = watchReadiness(service, system.urlOf(service));
    await watching.firstAnswer;
    const started = performance.now();
    const code = await service.stop('SIGTERM');
    const tookMs = performance.now() - started;
    const answers = await watching.stop();

    expect(code, `${service.name} exit code`).toBe(0);
    expect(tookMs, `${service.name} took ${Math.round(tookMs)} ms to stop`).toBeLessThan(GRACE_MS);
    const told = async (msg: string) => service.lines.indexOf(await service.waitForLine((line) => line.msg === msg));
    const order = [await told('shutting down'), await told('NATS connection drained'), await told('shutdown complete')];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(service.lines[order[0]!]).toMatchObject({ reason: 'SIGTERM' });

    expect(answers[0]?.status, 'ready before SIGTERM').toBe(200);
    const firstNotReady = answers.findIndex((answer) => answer.status !== 200);
    if (firstNotReady >= 0) expect(answers.slice(firstNotReady).filter((answer) => answer.status === 200)).toEqual([]);
    expect(answers.filter((answer) => answer.afterShutdownLine && answer.status === 200)).toEqual([]);
    for (const answer of answers.filter((each) => each.status === 503)) expect(answer.failing).toEqual(['shutdown']);
    return answers;
  }

  it('reader mid-read: the read is cut short and handed back, and a new reader reads every item exactly once', async () => {
    const reader = system.services.reader;
    const runId = randomUUID();
    const items = itemsOf(5, 'read');
    const running = queueRun({ runId, items, writeDelayMs: 0, readDelayMs: 1_000 });
    const inFlight = await reader.waitForLine((line) => ofRun(runId, 'read started')(line) && line['seq'] === 2, 30_000);

    await terminate(reader);
    expect(await reader.waitForLine(ofRun(runId, 'read cut short by shutdown; item handed back'))).toMatchObject({ seq: 2 });
    // It read the first item, and only that one.
    expect(reader.lines.filter(ofRun(runId, 'item read')).map((line) => line['seq'])).toEqual([1]);

    const next = await system.startService('reader');
    system.services.reader = next;
    const { status, body } = await running;
    expect(status).toBe(200);
    expectEveryItemOnce(body.timeline, items);
    expect(body.timeline.map((entry: Entry) => entry.readerPid)).toEqual([reader.pid, ...Array(4).fill(next.pid)]);
    expect(body.timeline[1].deliveryCount).toBeGreaterThan(Number(inFlight['deliveryCount']));
    expect(body.duplicateReads).toBe(0);
    expect((await readyz(system.urlOf(next))).status).toBe(200);
  });

  it('writer mid-write: the run fails with the exact count written, and a retry stores nothing twice', async () => {
    const writer = system.services.writer;
    const runId = randomUUID();
    const items = itemsOf(10, 'write');
    const request = { runId, items, writeDelayMs: 400, readDelayMs: 0 };
    const running = queueRun(request);
    await writer.waitForLine((line) => ofRun(runId, 'item written')(line) && line['seq'] === 3, 30_000);

    await terminate(writer);
    const written = writer.lines.filter(ofRun(runId, 'item written')).length;
    expect(written).toBeGreaterThanOrEqual(3);
    expect(written).toBeLessThan(10);
    expect(await writer.waitForLine(ofRun(runId, 'run not fully written'))).toMatchObject({
      written,
      of: 10,
      reason: 'writer is shutting down',
    });
    const failed = await running;
    expect(failed.status).toBe(502);
    expect(failed.contentType).toContain('application/problem+json');
    expect(failed.body).toMatchObject({ runId, failure: 'writer-failed', items: 10, written });
    expect(failed.body.detail).toContain('writer is shutting down');

    const next = await system.startService('writer');
    system.services.writer = next;
    const retried = await queueRun({ ...request, writeDelayMs: 0 });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ runId, writerPid: next.pid, alreadyStored: written, duplicateReads: 0 });
    expectEveryItemOnce(retried.body.timeline, items);
  });

  it('coordinator mid-simulation: its runs end with it, no process of it is left, writer and reader keep going', async () => {
    const coordinator = system.services.coordinator;
    const base = coordinatorUrl();
    const { engine } = await createCoordinatorClient({ baseUrl: base }).simulations();
    const pool = engine.poolPids.length;
    // One run whose request waits for its report (a task on every pool worker), one running in the background (a process per task).
    const waiting = postJson(`${base}/simulations`, { mode: 'pool', count: pool, minMs: 30_000, maxMs: 30_000 });
    const background = await postJson(`${base}/simulations`, { mode: 'processes', count: 3, minMs: 30_000, maxMs: 30_000, waitMs: 0 });
    expect(background.status).toBe(202);
    const started = (mode: string, n: number) =>
      coordinator.waitForLine((line) => line.msg === 'download started' && line['mode'] === mode && line['file'] === `file-${n}`);
    const downloads = await Promise.all([
      ...[1, 2, 3].map((n) => started('processes', n)),
      ...Array.from({ length: pool }, (_, i) => started('pool', i + 1)),
    ]);
    const children = nodeChildPids(coordinator.pid);
    expect(children).toEqual(expect.arrayContaining([...engine.poolPids, ...downloads.map((line) => Number(line['pid']))]));
    expect(children.length).toBe(pool + 3);

    await terminate(coordinator);
    const answered = await waiting;
    expect(answered.status).toBe(503);
    expect(answered.contentType).toContain('application/problem+json');
    expect(answered.body).toMatchObject({ title: 'Shutting down' });
    for (const runId of [background.body.id, answered.body.runId]) await coordinator.waitForLine(ofRun(runId, 'run cancelled'));
    // Checked at once: the coordinator waited for its processes to exit before it did.
    expect(children.filter(isRunning)).toEqual([]);

    for (const service of [system.services.writer, system.services.reader]) {
      expect(service.child.exitCode).toBeNull();
      expect((await readyz(system.urlOf(service))).status).toBe(200);
    }
    system.services.coordinator = await system.startService('coordinator');
    const { status, body } = await queueRun({ items: ['after', 'the', 'restart'], writeDelayMs: 0, readDelayMs: 0 });
    expect(status).toBe(200);
    expect(body.readerPids).toEqual([system.services.reader.pid]);
  });

  it('coordinator mid-queue-run: it stops waiting, the writer and reader finish the run, and a retry finds every item', async () => {
    const coordinator = system.services.coordinator;
    const children = nodeChildPids(coordinator.pid); // the pool's workers
    const runId = randomUUID();
    const items = itemsOf(8, 'queued');
    const request = { runId, items, writeDelayMs: 300, readDelayMs: 50 };
    const running = queueRun(request);
    await system.services.writer.waitForLine((line) => ofRun(runId, 'item written')(line) && line['seq'] === 2, 30_000);

    await terminate(coordinator);
    const answered = await running;
    expect(answered.status).toBe(503);
    expect(answered.contentType).toContain('application/problem+json');
    expect(answered.body).toMatchObject({ runId, failure: 'cancelled', title: 'Shutting down' });
    expect(children.filter(isRunning)).toEqual([]);

    // Nobody waits for the run any more, but nothing of it is lost: the writer writes it all, the reader reads it all.
    expect(await system.services.writer.waitForLine(ofRun(runId, 'run written'), 30_000)).toMatchObject({ written: 8 });
    await system.services.reader.waitForLine((line) => ofRun(runId, 'item read')(line) && line['seq'] === 8, 30_000);
    for (const service of [system.services.writer, system.services.reader]) expect((await readyz(system.urlOf(service))).status).toBe(200);

    // A coordinator asked again for the same run finds every item stored and read, once.
    system.services.coordinator = await system.startService('coordinator');
    const retried = await queueRun({ ...request, writeDelayMs: 0 });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ runId, alreadyStored: 8, duplicateReads: 0, redelivered: 0 });
    expectEveryItemOnce(retried.body.timeline, items);
  });
});
