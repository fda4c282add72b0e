import { epochNow } from '@concurrency-lab/clock';
import { connectToNats, drainNats } from '@concurrency-lab/nats';
import { ModeUnavailableError, type ModeContext, type TaskTiming } from '@concurrency-lab/simulation';
import { captureLogs, startNatsServer, waitFor, type NatsServerHandle } from '@concurrency-lab/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NatsTaskDispatcher, PROBE_TIMEOUT_MS } from './dispatcher.js';
import { DOWNLOADER_CONSUMER, DOWNLOADS_STREAM } from './protocol.js';
import { TASK_ACK_WAIT_MS } from './settings.js';
import { openDownloads } from './setup.js';
import { startDownloader, type Downloader, type TaskOutcome } from './worker.js';

/** What one downloader did, as its observer saw it. */
class Tally {
  started = 0;
  running = 0;
  peak = 0;
  readonly ended: TaskOutcome[] = [];
  readonly observer = {
    taskStarted: () => {
      this.started++;
      this.peak = Math.max(this.peak, ++this.running);
    },
    taskEnded: (outcome: TaskOutcome) => {
      // Dropped tasks (a cancelled run's queued ones) never started.
      if (outcome !== 'cancelled' || this.running > 0) this.running = Math.max(0, this.running - 1);
      this.ended.push(outcome);
    },
  };
}

describe('distributed downloads over a real nats-server', () => {
  let server: NatsServerHandle;
  let coordinator: NatsConnection;
  let jsm: JetStreamManager;
  const connections: NatsConnection[] = [];
  let downloaders: Downloader[] = [];
  const { logger } = captureLogs('spec');

  beforeAll(async () => {
    server = await startNatsServer();
    coordinator = await connectToNats({ servers: server.url, name: 'dispatcher-spec', logger });
    jsm = await openDownloads(coordinator, 'coordinator');
  });
  afterEach(async () => {
    await Promise.all(downloaders.map((downloader) => downloader.stop()));
    downloaders = [];
    await Promise.all(connections.splice(0).map((nc) => drainNats(nc, logger)));
  });
  afterAll(async () => {
    await drainNats(coordinator, logger);
    await server?.stop();
  });

  async function downloader(concurrency: number, tally: Tally): Promise<Downloader> {
    const nc = await connectToNats({ servers: server.url, name: `downloader-${connections.length}`, logger });
    connections.push(nc);
    const started = await startDownloader({
      nc,
      jsm: await openDownloads(nc, 'downloader'),
      logger,
      concurrency,
      iterationsPerMs: 1_000,
      observer: tally.observer,
    });
    downloaders.push(started);
    return started;
  }

  function context(signal = new AbortController().signal): ModeContext & { events: string[] } {
    const events: string[] = [];
    return {
      runId: randomUUID(),
      mode: 'distributed',
      workload: 'io',
      iterationsPerMs: 1_000,
      logger,
      logFormat: 'json',
      signal,
      runStart: epochNow(),
      emit: (event) => events.push(event.type),
      events,
    };
  }

  const tasks = (count: number, durationMs: number) => Array.from({ length: count }, (_, i) => ({ name: `file-${i}`, durationMs }));

  it('spreads the tasks over two downloaders, each within its concurrency, and reports every task once', async () => {
    const [a, b] = [new Tally(), new Tally()];
    await downloader(2, a);
    await downloader(3, b);
    const dispatcher = new NatsTaskDispatcher({ nc: coordinator, logger });
    expect(await dispatcher.probe()).toBe(5);
    const run = context();
    const timings: TaskTiming[] = await dispatcher.run(tasks(20, 150), run);

    expect(timings.map((timing) => timing.name)).toEqual(tasks(20, 150).map((task) => task.name));
    expect(a.started).toBeGreaterThan(0);
    expect(b.started).toBeGreaterThan(0);
    expect(a.started + b.started).toBe(20);
    expect(a.peak).toBeLessThanOrEqual(2);
    expect(b.peak).toBeLessThanOrEqual(3);
    for (const timing of timings) {
      expect(timing).toMatchObject({ pid: process.pid, attempts: 1 });
      expect(timing.finishMs - timing.startMs).toBeGreaterThanOrEqual(145);
    }
    expect(run.events.filter((type) => type === 'task-finished')).toHaveLength(20);
    // 20 tasks of 150 ms on 5 slots: at least 4 rounds.
    expect(Math.max(...timings.map((timing) => timing.finishMs))).toBeGreaterThanOrEqual(4 * 150 - 10);
  });

  it("hands the lesson's two tasks to two downloaders, though either has the slots for both", async () => {
    const [a, b] = [new Tally(), new Tally()];
    await downloader(4, a);
    await downloader(4, b);
    // One pull open per downloader, and none left by the downloaders of earlier tests.
    await waitFor(
      'exactly the two downloaders pulling',
      async () => (await jsm.consumers.info(DOWNLOADS_STREAM, DOWNLOADER_CONSUMER)).num_waiting === 2 || undefined,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    const timings = await new NatsTaskDispatcher({ nc: coordinator, logger }).run(tasks(2, 200), context());
    expect([a.started, b.started]).toEqual([1, 1]);
    expect(timings.every((timing) => timing.attempts === 1)).toBe(true);
  });

  it('a downloader that dies mid-task: its task is run again by another, once in the report, with its attempts', async () => {
    const [dying, other] = [new Tally(), new Tally()];
    await downloader(1, dying);
    const dyingConnection = connections.at(-1)!;
    const dispatcher = new NatsTaskDispatcher({ nc: coordinator, logger });
    const run = context();
    const running = dispatcher.run(tasks(1, 1_500), run);
    await waitFor('the first downloader running the task', () => dying.running === 1, { timeoutMs: 10_000 });
    await downloader(1, other);
    // Gone without a word, as after kill -9: no nak, no more in-progress acks.
    connections.splice(connections.indexOf(dyingConnection), 1);
    await dyingConnection.close();
    const [timing] = await running;
    expect(other.started).toBe(1);
    expect(timing).toMatchObject({ name: 'file-0', attempts: 2 });
    expect(run.events.filter((type) => type === 'task-started')).toHaveLength(2);
    expect(run.events.filter((type) => type === 'task-finished')).toHaveLength(1);
  });

  it('a downloader that stops (SIGTERM) hands its running tasks back at once, and another runs them', async () => {
    const [stopping, other] = [new Tally(), new Tally()];
    const first = await downloader(2, stopping);
    const dispatcher = new NatsTaskDispatcher({ nc: coordinator, logger });
    const run = context();
    const running = dispatcher.run(tasks(2, 800), run);
    await waitFor('the first downloader running both tasks', () => stopping.running === 2, { timeoutMs: 10_000 });
    await downloader(2, other);
    const stoppedAt = performance.now();
    await first.stop();
    expect(stopping.ended).toEqual(['handed-back', 'handed-back']);
    const timings = await running;
    // Handed back, not left to the ack wait: the other downloader starts them well within it.
    expect(performance.now() - stoppedAt).toBeLessThan(TASK_ACK_WAIT_MS + 800);
    expect(timings.map((timing) => timing.attempts)).toEqual([2, 2]);
    expect(other.started).toBe(2);
  });

  it('cancels: the running tasks stop, the queued ones are dropped, the stream is left empty', async () => {
    const tally = new Tally();
    await downloader(2, tally);
    const dispatcher = new NatsTaskDispatcher({ nc: coordinator, logger });
    const abort = new AbortController();
    const run = context(abort.signal);
    const running = dispatcher.run(tasks(6, 20_000), run);
    await waitFor('two tasks running', () => tally.running === 2, { timeoutMs: 10_000 });
    const cancelledAt = performance.now();
    abort.abort('cancelled by the spec');
    await expect(running).rejects.toBe('cancelled by the spec');
    await waitFor(
      'the two running tasks stopped and the four queued ones dropped',
      () => tally.ended.filter((outcome) => outcome === 'cancelled').length === 6,
      {
        timeoutMs: 10_000,
      },
    );
    expect(performance.now() - cancelledAt).toBeLessThan(10_000);
    expect(tally.started).toBe(2);
    expect(tally.ended).not.toContain('done');
    await waitFor('no task of the run left in the stream', async () => (await jsm.streams.info(DOWNLOADS_STREAM)).state.messages === 0, {
      timeoutMs: 5_000,
    });
  });

  it('with no downloader, the probe fails with ModeUnavailableError naming the downloader, within its bound', async () => {
    const dispatcher = new NatsTaskDispatcher({ nc: coordinator, logger });
    const started = performance.now();
    const error = await dispatcher.probe().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModeUnavailableError);
    expect(error).toMatchObject({ mode: 'distributed', missing: 'downloader' });
    expect((error as Error).message).toMatch(/no downloader answered/);
    expect(performance.now() - started).toBeLessThan(PROBE_TIMEOUT_MS + 1_000);
  });

  it('a run no downloader reports on fails after its longest task plus the stall grace, naming every task not done', async () => {
    const dispatcher = new NatsTaskDispatcher({ nc: coordinator, logger, stallGraceMs: 300 });
    const started = performance.now();
    const error = await dispatcher.run(tasks(2, 200), context()).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      'no downloader reported on this run for 500 ms; not done: "file-0" (never started), "file-1" (never started)',
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(performance.now() - started).toBeLessThan(5_000);
    // Nobody took them: the failed run's tasks are still queued; later specs start from an empty stream.
    expect((await jsm.streams.info(DOWNLOADS_STREAM)).state.messages).toBe(2);
    await jsm.streams.purge(DOWNLOADS_STREAM);
  });
});
