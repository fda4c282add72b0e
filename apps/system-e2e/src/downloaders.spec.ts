import { CoordinatorProblem, createCoordinatorClient, type CoordinatorClient, type RunReport } from '@concurrency-lab/api-client';
import { waitFor, type LocalSystem, type LogLine, type ServiceProcess } from '@concurrency-lab/local-system';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedRun } from './support/runs.js';
import { startSystem } from './support/system.js';

/*
 * Distributed mode for real: the system as it ships (nats-server with its
 * users, the coordinator) and three downloader processes, each pulling tasks
 * from the work queue; one is killed -9 mid-task, the run is cancelled, and
 * at the end none is left.
 */
describe('distributed simulations over downloader processes', () => {
  let system: LocalSystem;
  let client: CoordinatorClient;
  let downloaders: ServiceProcess[];

  beforeAll(async () => {
    system = await startSystem();
    client = createCoordinatorClient({ baseUrl: system.baseUrl });
    downloaders = [system.services.downloader, await system.startService('downloader'), await system.startService('downloader')];
  });
  afterAll(async () => {
    await system?.stop();
  });

  const aboutRun = (runId: string, msg: string) => (line: LogLine) => line['runId'] === runId && line.msg === msg;
  /** Starts a run and answers at once (202), while its tasks go to the downloaders. */
  async function startRun(tasks: { name: string; durationMs: number }[]): Promise<string> {
    const answer = await client.simulate({ mode: 'distributed', tasks, waitMs: 0 });
    if (answer.status !== 202) throw new Error(`expected 202, got ${answer.status}`);
    return answer.run.id;
  }
  /** The run's report once the coordinator logs its end (a failed or cancelled run throws, naming its state). */
  async function reportOf(runId: string, timeoutMs: number): Promise<RunReport> {
    const ended = (line: LogLine) => line['runId'] === runId && ['run finished', 'run failed', 'run cancelled'].includes(String(line.msg));
    await system.services.coordinator.waitForLine(ended, timeoutMs);
    const view = await client.simulation(runId);
    if (view?.status !== 'finished' || !view.report || view.report.mode === 'compare')
      throw new Error(`run ${runId} ${view?.status}: ${view?.error}`);
    return view.report;
  }
  /** Resolves once the downloaders' lines about the run say `msg` `count` times. */
  const downloaderLinesReach = (runId: string, msg: string, count: number, timeoutMs: number) =>
    waitFor(`${count} downloader lines "${msg}"`, () => downloaderLines(runId, msg).length >= count, { timeoutMs });
  const downloaderLines = (runId: string, msg: string) =>
    system.linesOfAll(aboutRun(runId, msg)).filter((line) => line['service'] === 'downloader');

  it('spreads a run over the downloaders: several pids, this host, every task once, and the chart names them', async () => {
    const tasks = Array.from({ length: 12 }, (_, i) => ({ name: `file-${i + 1}`, durationMs: 400 }));
    const report = await finishedRun(client, { mode: 'distributed', tasks });
    expect(report.mode).toBe('distributed');
    expect(report.parallelism).toBe(12); // three downloaders of 4 slots (deploy/env/downloader.env)
    expect(report.tasks.map((task) => task.name)).toEqual(tasks.map((task) => task.name));
    const pids = new Set(report.tasks.map((task) => task.pid));
    expect(pids.size).toBeGreaterThanOrEqual(2);
    for (const pid of pids) expect(downloaders.map((downloader) => downloader.pid)).toContain(pid);
    expect(pids).not.toContain(system.services.coordinator.pid);
    for (const task of report.tasks) expect(task).toMatchObject({ host: hostname(), attempts: 1 });
    // 12 tasks of 400 ms on 12 slots: about one round, far from the 4.8 s one after another.
    expect(report.totalMs).toBeLessThan(3_000);

    const svg = await (await fetch(`${system.baseUrl}/simulations/${report.runId}/timeline.svg`)).text();
    expect(svg).toContain(`data-host="${hostname()}"`);
    // Each downloader logs its own tasks with the run id, its pid and host.
    const started = system.linesOfAll(aboutRun(report.runId, 'download started')).filter((line) => line['service'] === 'downloader');
    expect(started).toHaveLength(12);
    expect(started.every((line) => line['host'] === hostname() && pids.has(line['pid'] as number))).toBe(true);
  });

  it('a downloader killed -9 mid-task: the task is retried on another, and the report says so', async () => {
    const tasks = Array.from({ length: 3 }, (_, i) => ({ name: `long-${i + 1}`, durationMs: 4_000 }));
    const runId = await startRun(tasks);
    // Whichever downloader took a task first is killed, as soon as it has started it.
    const holder = await Promise.race(
      downloaders.map((downloader) => downloader.waitForLine(aboutRun(runId, 'download started'), 15_000).then(() => downloader)),
    );
    const killedTask = holder.lines.find(aboutRun(runId, 'download started'))!['file'];
    await system.killService(holder);
    const killed = holder;
    downloaders = downloaders.filter((downloader) => downloader !== killed);

    const report = await reportOf(runId, 40_000);
    const retried = report.tasks.find((task) => task.name === killedTask)!;
    expect(retried.attempts).toBeGreaterThanOrEqual(2);
    expect(retried.pid).not.toBe(killed.pid);
    expect(downloaders.map((downloader) => downloader.pid)).toContain(retried.pid);
    expect(report.tasks.map((task) => task.pid)).not.toContain(killed.pid);
    expect(report.tasks).toHaveLength(3);
    const coordinatorSaw = system.services.coordinator.lines.filter(aboutRun(runId, 'download retried on another downloader'));
    expect(coordinatorSaw.map((line) => line['file'])).toContain(killedTask);
  });

  it('DELETE cancels a distributed run: the downloaders stop its tasks, none finishes', async () => {
    const tasks = Array.from({ length: 6 }, (_, i) => ({ name: `slow-${i + 1}`, durationMs: 30_000 }));
    const runId = await startRun(tasks);
    // Two downloaders of 4 slots take all six.
    await downloaderLinesReach(runId, 'download started', 6, 15_000);
    const cancelled = await client.cancelSimulation(runId);
    expect(cancelled?.status).toBe('cancelled');
    await downloaderLinesReach(runId, 'download cancelled', 6, 10_000);
    expect(downloaderLines(runId, 'download cancelled')).toHaveLength(6);
    expect(system.linesOfAll(aboutRun(runId, 'download finished'))).toEqual([]);
  });

  it('with no downloader running, a distributed run answers 503 problem+json naming the downloader, within the bound', async () => {
    await Promise.all(downloaders.map((downloader) => downloader.stop('SIGTERM')));
    const started = performance.now();
    const response = await fetch(`${system.baseUrl}/simulations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'distributed', count: 3 }),
    });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('retry-after')).toBe('5');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 503, title: 'Mode unavailable', mode: 'distributed', missing: 'downloader' });
    expect(String(problem['detail'])).toMatch(/no downloader answered/);
    expect(elapsed).toBeLessThan(2_000 + 1_500); // PROBE_TIMEOUT_MS, and a loaded machine's slack
    // The typed client says the same.
    const error = await client.simulate({ mode: 'distributed', count: 3 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CoordinatorProblem);
    expect((error as CoordinatorProblem).status).toBe(503);
  });
});
