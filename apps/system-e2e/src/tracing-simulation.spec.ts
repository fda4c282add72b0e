import { createCoordinatorClient, type CompareReport } from '@concurrency-lab/api-client';
import type { LocalSystem, LogLine } from '@concurrency-lab/local-system';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@concurrency-lab/testing';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem } from './support/system.js';

/*
 * One simulation followed by its trace across real processes: the caller's
 * traceparent, the coordinator's request, run, mode and task spans, the task
 * processes' log lines and a downloader's span and lines, all under one trace
 * id, exported over OTLP/HTTP to a receiver on loopback.
 */
describe('a simulation traced across the coordinator, its task processes and a downloader', () => {
  let receiver: OtlpReceiver;
  let system: LocalSystem;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
    system = await startSystem({ coordinator: tracing, downloader: tracing, writer: tracing, reader: tracing });
  });
  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
  });

  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  const tasks = [
    { name: 'a.zip', durationMs: 300 },
    { name: 'b.zip', durationMs: 200 },
  ];
  const modes = ['processes', 'threads', 'distributed'] as const;
  const inTrace = (spans: ReceivedSpan[]) => spans.filter((span) => span.traceId === traceId);
  let report: CompareReport;
  let spans: ReceivedSpan[];

  it('answers under the caller\u2019s trace, and every service says tracing is on', async () => {
    for (const service of ['coordinator', 'writer', 'reader', 'downloader'] as const) {
      expect(system.services[service].lines.some((line) => line.msg === `tracing on: exporting spans to ${receiver.url}/v1/traces`)).toBe(
        true,
      );
    }
    const client = createCoordinatorClient({ baseUrl: system.baseUrl });
    const answer = await client.simulate(
      { mode: 'compare', modes: [...modes], tasks },
      { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } },
    );
    if (answer.status !== 201 || answer.report.mode !== 'compare') throw new Error(`expected a finished comparison, got ${answer.status}`);
    report = answer.report;
    // The request span ends once its answer is sent, every coordinator span before it; each downloader exports its own.
    const complete = (all: ReceivedSpan[]) =>
      inTrace(all).some((span) => span.kind === 2) && inTrace(all).filter((span) => span.service === 'downloader').length >= tasks.length;
    spans = inTrace(await receiver.waitForSpans('the request span and the downloaders\u2019 spans', complete));
  });

  it('is one tree: the request under the caller, everything else under a span of the trace', () => {
    const ids = new Set(spans.map((span) => span.spanId));
    const request = spans.find((span) => span.kind === 2)!;
    expect(request).toMatchObject({ service: 'coordinator', name: 'POST /simulations', parentSpanId: callerSpanId });
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/simulations',
      'http.response.status_code': 201,
    });
    const orphans = spans.filter((span) => span !== request && !ids.has(span.parentSpanId ?? ''));
    expect(orphans.map((span) => `${span.service}:${span.name}`)).toEqual([]);

    const run = spans.find((span) => span.name === 'simulation')!;
    expect(run.parentSpanId).toBe(request.spanId);
    expect(run.attributes['lab.run.id']).toBe(report.runId);
    const modeSpans = spans.filter((span) => span.parentSpanId === run.spanId);
    expect(modeSpans.map((span) => span.name).sort()).toEqual(modes.map((mode) => `mode ${mode}`).sort());
  });

  it('has a span per task with the pid the report names, and the downloader\u2019s consumer span under its task', () => {
    for (const mode of modes) {
      const modeSpan = spans.find((span) => span.name === `mode ${mode}`)!;
      const taskSpans = spans.filter((span) => span.parentSpanId === modeSpan.spanId && span.name === 'download');
      const modeReport = report.runs[mode]!;
      expect(taskSpans.map((span) => span.attributes['lab.task.name']).sort()).toEqual(tasks.map((task) => task.name).sort());
      for (const task of modeReport.tasks) {
        const span = taskSpans.find((candidate) => candidate.attributes['lab.task.name'] === task.name)!;
        expect(span.attributes['process.pid']).toBe(task.pid);
        expect(span.events.map((event) => event.name)).toContain('task started');
      }
    }
    const distributed = spans.find((span) => span.name === 'mode distributed')!;
    const distributedTasks = new Set(spans.filter((span) => span.parentSpanId === distributed.spanId).map((span) => span.spanId));
    const consumed = spans.filter((span) => span.service === 'downloader');
    expect(consumed).toHaveLength(tasks.length);
    for (const span of consumed) {
      expect(span).toMatchObject({ name: 'process LAB_DOWNLOADS', kind: 5 });
      expect(span.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.consumer.group.name': 'downloaders' });
      expect(distributedTasks.has(span.parentSpanId ?? '')).toBe(true);
    }
  });

  it('names the trace on the log lines of the run: the coordinator\u2019s, each task process\u2019s, each downloader\u2019s', () => {
    const ofRun = (line: LogLine) => line['runId'] === report.runId;
    const lines = system.linesOfAll(ofRun);
    const taskPids = new Set(report.runs.processes!.tasks.map((task) => task.pid));
    const taskProcessLines = lines.filter((line) => taskPids.has(line.pid as number) && line.msg === 'download started');
    expect(taskProcessLines).toHaveLength(tasks.length);
    const downloaderLines = lines.filter((line) => line['service'] === 'downloader' && line.msg === 'download started');
    expect(downloaderLines).toHaveLength(tasks.length);
    const spanIds = new Set(spans.map((span) => span.spanId));
    for (const line of [...taskProcessLines, ...downloaderLines, ...lines.filter((line) => line.msg === 'mode finished')]) {
      expect(line['trace_id']).toBe(traceId);
      expect(spanIds.has(String(line['span_id']))).toBe(true);
    }
    // pino-http's own line for the request, written once the answer is sent.
    const requestLine = system.services.coordinator.lines.find((line) => line.msg === 'request completed' && ofRun(line));
    expect(requestLine?.['trace_id']).toBe(traceId);
  });
});
