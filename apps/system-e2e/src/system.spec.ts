import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startSystem, type RunningSystem } from './support/system.js';

describe('Concurrency Lab, end to end', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('reports the coordinator healthy', async () => {
    const response = await fetch(`${system.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', service: 'coordinator', pid: system.services.coordinator.pid });
  });

  const tasks = [
    { name: 'a.pdf', durationMs: 400 },
    { name: 'b.avi', durationMs: 600 },
    { name: 'c.iso', durationMs: 500 },
  ];

  it('runs sequentially in the coordinator: the total is about the sum', async () => {
    const { status, body } = await postJson(`${system.baseUrl}/simulations`, { mode: 'sequential', tasks });
    expect(status).toBe(200);
    expect(body.idealMs).toBe(1500);
    expect(body.totalMs).toBeGreaterThanOrEqual(1500);
    expect(body.totalMs).toBeLessThan(1500 + 500);
    expect(body.tasks.map((task: { pid: number }) => task.pid)).toEqual(Array(3).fill(system.services.coordinator.pid));
  });

  it('runs in parallel in one OS process per task: the total is about the max', async () => {
    const { status, body } = await postJson(`${system.baseUrl}/simulations`, { mode: 'parallel', tasks });
    expect(status).toBe(200);
    expect(body.idealMs).toBe(600);
    expect(body.totalMs).toBeGreaterThanOrEqual(600);
    expect(body.totalMs).toBeLessThan(1500); // well under the sum; process start-up is the slack
    const pids: number[] = body.tasks.map((task: { pid: number }) => task.pid);
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(system.services.coordinator.pid);
    expect(body.coordinatorPid).toBe(system.services.coordinator.pid);
  });

  it("compares both modes on the lesson's two downloads, scaled down", async () => {
    // At 0.2 the shortest run is 2 s one after another against 1 s side by side: a margin process start-up cannot eat.
    const { status, body } = await postJson(`${system.baseUrl}/simulations`, { scale: 0.2 });
    expect(status).toBe(200);
    expect(body.mode).toBe('compare');
    expect(body.sequential.tasks.map((task: { name: string }) => task.name)).toEqual(['Python introduction.pdf', 'av.avi']);
    for (const task of body.sequential.tasks) expect([1000, 1200, 1400, 1600, 1800, 2000]).toContain(task.durationMs);
    expect(body.parallel.tasks.map((task: { durationMs: number }) => task.durationMs)).toEqual(
      body.sequential.tasks.map((task: { durationMs: number }) => task.durationMs),
    );
    expect(body.speedup).toBeGreaterThan(1);
    expect(body.idealSpeedup).toBeGreaterThanOrEqual(1);
  });

  it('tells the story of a run in the logs, with the run id and each process pid', async () => {
    const { body } = await postJson(`${system.baseUrl}/simulations`, { mode: 'parallel', tasks: tasks.slice(0, 2) });
    // The answer can overtake the log lines on their way through the pipe: await the last one.
    await system.services.coordinator.waitForLine((line) => line['runId'] === body.runId && line.msg === 'run finished');
    const lines = system.services.coordinator.lines.filter((line) => line['runId'] === body.runId);
    const started = lines.filter((line) => line.msg === 'download started');
    expect(started.map((line) => line['file']).sort()).toEqual(['a.pdf', 'b.avi']);
    expect(started.map((line) => line['pid']).sort()).toEqual(body.tasks.map((task: { pid: number }) => task.pid).sort());
    expect(lines.filter((line) => line.msg === 'download finished')).toHaveLength(2);
    expect(lines.find((line) => line.msg === 'run finished')).toMatchObject({ mode: 'parallel', service: 'coordinator' });
  });

  it('passes every item from writer to reader exactly once, in writing order', async () => {
    const items = ['python introduction', 'av.avi', 'java introduction', 'rust book', 'go tour'];
    const { status, body } = await postJson(`${system.baseUrl}/queue-runs`, { items, writeDelayMs: 20, readDelayMs: 10 });
    expect(status).toBe(200);
    expect(body.timeline.map((entry: { item: string }) => entry.item)).toEqual(items);
    expect(body.timeline.map((entry: { seq: number }) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(body.writerPid).toBe(system.services.writer.pid);
    expect(body.readerPids).toEqual([system.services.reader.pid]);
    const readStarts = body.timeline.map((entry: { readStartedAtMs: number }) => entry.readStartedAtMs);
    expect(readStarts).toEqual([...readStarts].sort((a, b) => a - b));
    // Every service logged the run under its id.
    await system.services.reader.waitForLine((line) => line['runId'] === body.runId && line.msg === 'item read' && line['seq'] === 5);
    await system.services.writer.waitForLine((line) => line['runId'] === body.runId && line.msg === 'run written');
    expect(system.services.writer.lines.filter((line) => line['runId'] === body.runId && line.msg === 'item written')).toHaveLength(5);
  });

  it('answers malformed bodies with 400 problem+json naming the field', async () => {
    const cases: [string, unknown, string][] = [
      ['/simulations', { mode: 'threads' }, 'mode'],
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
    expect((await fetch(`${system.baseUrl}/healthz`)).status).toBe(200);
  });

  it('keeps items in the stream while no reader runs, and a late reader reads them all', async () => {
    await system.services.reader.stop('SIGTERM');
    const run = postJson(`${system.baseUrl}/queue-runs`, { items: ['one', 'two', 'three'], writeDelayMs: 0, readDelayMs: 0 });
    await system.services.writer.waitForLine((line) => line.msg === 'run written' && line['written'] === 3);
    const lateReader = await system.startService('reader');
    const { status, body } = await run;
    expect(status).toBe(200);
    expect(body.timeline.map((entry: { item: string }) => entry.item)).toEqual(['one', 'two', 'three']);
    expect(body.readerPids).toEqual([lateReader.pid]);
  });

  it('shuts every service down gracefully on SIGTERM', async () => {
    for (const service of [system.services.coordinator, system.services.writer]) {
      expect(await service.stop('SIGTERM')).toBe(0);
      expect(service.lines.some((line) => line.msg === 'shutdown complete')).toBe(true);
      expect(service.lines.some((line) => line.msg === 'NATS connection drained')).toBe(true);
    }
    // The reader stopped earlier in this suite, the same way.
    expect(system.services.reader.child.exitCode).toBe(0);
  });
});
