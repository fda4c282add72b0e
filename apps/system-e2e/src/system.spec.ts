import { createCoordinatorClient, type CoordinatorClient } from '@concurrency-lab/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyz } from './support/readiness.js';
import { finishedComparison, finishedRun } from './support/runs.js';
import { postJson, startSystem, type RunningSystem, type ServiceName } from './support/system.js';

describe('Concurrency Lab, end to end', () => {
  let system: RunningSystem;
  let client: CoordinatorClient;
  beforeAll(async () => {
    system = await startSystem();
    client = createCoordinatorClient({ baseUrl: system.baseUrl });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('reports the coordinator healthy', async () => {
    expect(await client.health()).toMatchObject({ status: 'ok', service: 'coordinator', pid: system.services.coordinator.pid });
  });

  it('reports every service ready, naming what it checked, and does not log the probes', async () => {
    const expected: Record<ServiceName, string[]> = {
      coordinator: ['nats', 'streams', 'downloads-stream', 'shutdown'],
      writer: ['nats', 'streams', 'shutdown'],
      reader: ['nats', 'streams', 'consumer', 'shutdown'],
      downloader: ['nats', 'downloads-stream', 'downloads-consumer', 'shutdown'],
    };
    for (const [name, checks] of Object.entries(expected) as [ServiceName, string[]][]) {
      const { status, contentType, body } = await readyz(system.urlOf(system.services[name]));
      expect(status, name).toBe(200);
      expect(contentType).toContain('application/json');
      expect(body.status).toBe('ready');
      expect(Object.keys(body.checks)).toEqual(checks);
      expect(Object.values(body.checks).map((check) => (check as { status: string }).status)).toEqual(checks.map(() => 'ok'));
    }
    // A request that is logged, after the probe: once its line is in, the probe's would be too.
    await client.simulations({ headers: { 'x-request-id': 'after-the-probe' } });
    const coordinator = system.services.coordinator;
    await coordinator.waitForLine(
      (line) => line.msg === 'request completed' && (line['req'] as { id?: string } | undefined)?.id === 'after-the-probe',
    );
    expect(coordinator.lines.filter((line) => JSON.stringify(line['req'] ?? '').includes('/readyz'))).toEqual([]);
  });

  // Seconds long, so that starting three Node.js processes on a loaded two-core machine (a second or
  // two in CI) cannot blur "about the max" into "about the sum".
  const tasks = [
    { name: 'a.pdf', durationMs: 2000 },
    { name: 'b.avi', durationMs: 3000 },
    { name: 'c.iso', durationMs: 2500 },
  ];

  it('runs sequentially in the coordinator: the total is about the sum', async () => {
    const body = await finishedRun(client, { mode: 'sequential', tasks });
    expect(body.idealMs).toBe(7500);
    expect(body.totalMs).toBeGreaterThanOrEqual(7500);
    expect(body.totalMs).toBeLessThan(7500 + 1000);
    expect(body.tasks.map((task) => task.pid)).toEqual(Array(3).fill(system.services.coordinator.pid));
  });

  it('runs in parallel in one OS process per task: the total is about the max', async () => {
    const body = await finishedRun(client, { mode: 'parallel', tasks });
    expect(body.mode).toBe('processes'); // the skeleton's name for the lesson's model
    expect(body.idealMs).toBe(3000);
    expect(body.totalMs).toBeGreaterThanOrEqual(3000);
    expect(body.totalMs).toBeLessThan(3000 + 2500); // well under the 7.5 s sum; process start-up is the slack
    const pids = body.tasks.map((task) => task.pid);
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(system.services.coordinator.pid);
    expect(body.coordinatorPid).toBe(system.services.coordinator.pid);
  });

  it("compares sequential and processes on the lesson's two downloads, scaled down", async () => {
    // Seed 11 draws 8 s for both files: at 0.25 that is 4 s one after another against 2 s side by side,
    // a margin that process start-up on a loaded machine cannot eat.
    const body = await finishedComparison(client, {
      mode: 'compare',
      modes: ['sequential', 'processes'],
      seed: 11,
      scale: 0.25,
    });
    expect(body.mode).toBe('compare');
    expect(body.seed).toBe(11);
    const sequential = body.runs['sequential']!;
    expect(sequential.tasks.map((task) => task.name)).toEqual(['Python introduction.pdf', 'av.avi']);
    expect(sequential.tasks.map((task) => task.durationMs)).toEqual([2000, 2000]);
    expect(body.runs['processes']!.tasks.map((task) => task.durationMs)).toEqual(sequential.tasks.map((task) => task.durationMs));
    expect(body.table.map((row) => row.mode)).toEqual(['sequential', 'processes']);
    expect(body.table[1]!.speedup, JSON.stringify(body.table)).toBeGreaterThan(1);
  });

  it('runs the same tasks in every mode, each in the processes and threads it promises', async () => {
    const body = await finishedComparison(client, { mode: 'compare', count: 4, minMs: 600, maxMs: 600, seed: 7 });
    expect(body.table.map((row) => row.mode)).toEqual(['sequential', 'processes', 'pool', 'threads', 'async']);
    const coordinator = system.services.coordinator.pid;
    const pidsOf = (mode: string): number[] => body.runs[mode]!.tasks.map((task) => task.pid);
    const threadsOf = (mode: string): number[] => body.runs[mode]!.tasks.map((task) => task.threadId);
    for (const mode of ['sequential', 'async', 'threads']) expect(new Set(pidsOf(mode))).toEqual(new Set([coordinator]));
    expect(new Set(pidsOf('processes')).size).toBe(4);
    expect(pidsOf('processes')).not.toContain(coordinator);
    expect(pidsOf('pool')).not.toContain(coordinator);
    expect(new Set(threadsOf('threads')).size).toBe(4);
    expect(threadsOf('threads')).not.toContain(0);
    // Waiting overlaps in every concurrent mode but the pool, which runs pool-size tasks at a time.
    for (const row of body.table.filter((r) => ['processes', 'threads', 'async'].includes(r.mode))) {
      expect(row.totalMs, row.mode).toBeLessThan(1800); // the sum is 2400: the waits overlapped
    }
  });

  it('tells the story of a run in the logs, with the run id and each process pid', async () => {
    const body = await finishedRun(client, { mode: 'parallel', tasks: tasks.slice(0, 2) });
    // The answer can overtake the log lines on their way through the pipe: await the last one.
    await system.services.coordinator.waitForLine((line) => line['runId'] === body.runId && line.msg === 'run finished');
    const lines = system.services.coordinator.lines.filter((line) => line['runId'] === body.runId);
    const started = lines.filter((line) => line.msg === 'download started');
    expect(started.map((line) => line['file']).sort()).toEqual(['a.pdf', 'b.avi']);
    expect(started.map((line) => line['pid']).sort()).toEqual(body.tasks.map((task) => task.pid).sort());
    expect(lines.filter((line) => line.msg === 'download finished')).toHaveLength(2);
    expect(lines.find((line) => line.msg === 'run finished')).toMatchObject({ mode: 'processes', service: 'coordinator' });
  });

  it('passes every item from writer to reader exactly once, in writing order', async () => {
    const items = ['python introduction', 'av.avi', 'java introduction', 'rust book', 'go tour'];
    const body = await client.queueRun({ items, writeDelayMs: 20, readDelayMs: 10 });
    expect(body.timeline.map((entry) => entry.item)).toEqual(items);
    expect(body.timeline.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(body.writerPid).toBe(system.services.writer.pid);
    expect(body.readerPids).toEqual([system.services.reader.pid]);
    const readStarts = body.timeline.map((entry) => entry.readStartedAtMs);
    expect(readStarts).toEqual([...readStarts].sort((a, b) => a - b));
    // Every service logged the run under its id.
    await system.services.reader.waitForLine((line) => line['runId'] === body.runId && line.msg === 'item read' && line['seq'] === 5);
    await system.services.writer.waitForLine((line) => line['runId'] === body.runId && line.msg === 'run written');
    expect(system.services.writer.lines.filter((line) => line['runId'] === body.runId && line.msg === 'item written')).toHaveLength(5);
  });

  it('answers malformed bodies with 400 problem+json naming the field', async () => {
    const cases: [string, unknown, string][] = [
      ['/simulations', { mode: 'fibers' }, 'mode'],
      ['/simulations', { mode: 'compare', modes: ['async', 'gpu'] }, 'modes[1]'],
      ['/simulations', { workload: 'disk' }, 'workload'],
      ['/simulations', { tasks: [{ name: 'a', durationMs: -5 }] }, 'tasks[0].durationMs'],
      ['/simulations', { scale: 'fast' }, 'scale'],
      ['/queue-runs', { items: [''] }, 'items[0]'],
      ['/queue-runs', { readDelayMs: 1e9 }, 'readDelayMs'],
      ['/queue-runs', '{"items": [', 'body'],
    ];
    for (const [path, body, field] of cases) {
      const response = await postJson(`${system.baseUrl}${path}`, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(response.contentType).toContain('application/problem+json');
      expect(response.body.detail.startsWith(`${field}:`), response.body.detail).toBe(true);
      expect(response.body.invalidParams[0].name).toBe(field);
    }
    // The service is still up and working afterwards.
    expect(await client.health()).toMatchObject({ status: 'ok' });
  });

  it('keeps items in the stream while no reader runs, and a late reader reads them all', async () => {
    expect(await system.services.reader.stop('SIGTERM')).toBe(0);
    const run = client.queueRun({ items: ['one', 'two', 'three'], writeDelayMs: 0, readDelayMs: 0 });
    await system.services.writer.waitForLine((line) => line.msg === 'run written' && line['written'] === 3);
    const lateReader = await system.startService('reader');
    const body = await run;
    expect(body.timeline.map((entry) => entry.item)).toEqual(['one', 'two', 'three']);
    expect(body.readerPids).toEqual([lateReader.pid]);
  });

  it('needed no subject its NATS user may not use (deploy/nats/nats.conf), all along', () => {
    expect(system.linesOfAll((line) => line.msg === 'NATS permission denied')).toEqual([]);
  });
});
