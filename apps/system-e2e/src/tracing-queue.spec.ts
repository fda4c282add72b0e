import { TRACED_ITEMS_PER_RUN } from '@concurrency-lab/queue';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@concurrency-lab/testing';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from './support/system.js';

/** OTLP span kinds, as the receiver reports them. */
const KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

/** A caller's W3C traceparent, sampled: the run's spans must all join its trace. */
function callerContext() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

async function postQueueRun(baseUrl: string, traceparent: string, body: object) {
  const response = await fetch(`${baseUrl}/queue-runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { runId: string; reads: number };
}

const named = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name);

/**
 * A queue run traced end to end across the real services: coordinator →
 * writer → reader → coordinator, one trace from the caller's traceparent.
 */
describe('tracing: a queue run, coordinator to writer to reader and back', () => {
  let receiver: OtlpReceiver;
  let system: RunningSystem;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
    system = await startSystem({ coordinator: otel, writer: otel, reader: otel });
  });
  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
  });

  it('one trace: run, request, write, a publish and a process per item, reports and their consumption; no orphans; logs carry the trace id', async () => {
    const caller = callerContext();
    const items = ['a', 'b', 'c', 'd', 'e'];
    const { runId } = await postQueueRun(system.baseUrl, caller.traceparent, {
      items,
      writeDelayMs: 20,
      readDelayMs: 10,
      transport: 'jetstream',
    });
    const itemSubject = `lab.queue.items.${runId}`;
    const ofTrace = (spans: ReceivedSpan[]) => spans.filter((span) => span.traceId === caller.traceId);
    const spans = ofTrace(
      await receiver.waitForSpans('the whole run traced', (all) => {
        const trace = ofTrace(all);
        const reports = named(trace, `publish lab.events.${runId}.reads.>`).length;
        return (
          named(trace, 'queue run').length === 1 &&
          named(trace, 'write run').length === 1 &&
          named(trace, `process ${itemSubject}`).length === items.length &&
          reports > 0 &&
          named(trace, `process lab.events.${runId}.reads.>`).length === reports
        );
      }),
    );

    // Every span's parent is in the trace, or is the caller's span: no orphans.
    const ids = new Set(spans.map((span) => span.spanId));
    const orphans = spans.filter((span) => span.parentSpanId !== caller.spanId && !ids.has(span.parentSpanId ?? ''));
    expect(orphans.map((span) => `${span.service}: ${span.name}`)).toEqual([]);
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['coordinator', 'writer', 'reader']));

    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentOf = (span: ReceivedSpan) => byId.get(span.parentSpanId ?? '');
    const [run] = named(spans, 'queue run');
    expect(run).toMatchObject({
      service: 'coordinator',
      attributes: { 'lab.run.id': runId, 'lab.run.items': 5, 'lab.run.transport': 'jetstream' },
    });
    // The run is the POST's work: under the coordinator's request span, itself under the caller.
    expect(parentOf(run!)).toMatchObject({ name: 'POST /queue-runs', kind: KIND.server, parentSpanId: caller.spanId });
    const [request] = named(spans, 'send lab.writer.runs');
    expect(request).toMatchObject({ service: 'coordinator', kind: KIND.client, attributes: { 'messaging.system': 'nats' } });
    expect(parentOf(request!)).toBe(run);
    const [write] = named(spans, 'write run');
    expect(write).toMatchObject({
      service: 'writer',
      kind: KIND.server,
      attributes: { 'lab.queue.traced_items': 5, 'lab.queue.untraced_items': 0 },
    });
    expect(parentOf(write!)).toBe(request);

    const publishes = named(spans, `publish ${itemSubject}`);
    expect(publishes.map((span) => span.attributes['messaging.message.id']).sort()).toEqual(
      items.map((_, index) => `${runId}:${index + 1}`),
    );
    for (const publish of publishes) {
      expect(publish).toMatchObject({
        service: 'writer',
        kind: KIND.producer,
        attributes: { 'messaging.operation.type': 'send', 'messaging.destination.name': itemSubject },
      });
      expect(parentOf(publish)).toBe(write);
    }
    for (const process of named(spans, `process ${itemSubject}`)) {
      const publish = parentOf(process)!;
      expect(process).toMatchObject({
        service: 'reader',
        kind: KIND.consumer,
        attributes: { 'lab.queue.delivery_count': 1, 'messaging.operation.type': 'process' },
      });
      expect(process.attributes['messaging.message.id']).toBe(publish.attributes['messaging.message.id']);
      expect(process.attributes['lab.queue.waited_in_stream_ms']).toBeGreaterThanOrEqual(0);
      expect(process.events.map((event) => event.name)).toContain('delivered');
    }
    const reports = named(spans, `publish lab.events.${runId}.reads.>`);
    expect(reports.reduce((sum, report) => sum + Number(report.attributes['messaging.batch.message_count']), 0)).toBe(items.length);
    for (const report of reports) {
      expect(report).toMatchObject({ service: 'reader', kind: KIND.producer });
      expect(parentOf(report)?.name).toBe(`process ${itemSubject}`);
    }
    for (const consumed of named(spans, `process lab.events.${runId}.reads.>`)) {
      expect(consumed).toMatchObject({ service: 'coordinator', kind: KIND.consumer });
      expect(reports).toContain(parentOf(consumed));
      // Consumed while the run was under way: inside the run span's time.
      expect(consumed.startMs).toBeLessThanOrEqual(run!.endMs);
    }

    // The writer's and reader's lines about the run carry its trace id.
    const linesOf = (service: 'writer' | 'reader') => system.services[service].lines.filter((line) => line['runId'] === runId);
    const writerLines = linesOf('writer');
    expect(writerLines.map((line) => line.msg)).toEqual(expect.arrayContaining(['writing run', 'run written']));
    expect(writerLines.filter((line) => line['trace_id'] !== caller.traceId)).toEqual([]);
    const readLines = linesOf('reader').filter(
      (line) => line.msg === 'item read' || line.msg === 'items read' || line.msg === 'read started',
    );
    expect(readLines.length).toBeGreaterThanOrEqual(items.length);
    expect(readLines.filter((line) => line['trace_id'] !== caller.traceId)).toEqual([]);
  });

  it(`a run of more than ${TRACED_ITEMS_PER_RUN} items: per-item spans for the first ${TRACED_ITEMS_PER_RUN} only`, async () => {
    const caller = callerContext();
    const count = TRACED_ITEMS_PER_RUN * 3;
    const { runId, reads } = await postQueueRun(system.baseUrl, caller.traceparent, {
      items: Array.from({ length: count }, (_, index) => `item-${index + 1}`),
      writeDelayMs: 0,
      readDelayMs: 0,
      transport: 'jetstream',
      readerStart: 'concurrent',
    });
    expect(reads).toBe(count);
    const itemSubject = `lab.queue.items.${runId}`;
    const ofTrace = (spans: ReceivedSpan[]) => spans.filter((span) => span.traceId === caller.traceId);
    const spans = ofTrace(
      await receiver.waitForSpans('the big run traced', (all) => {
        const trace = ofTrace(all);
        return (
          named(trace, 'queue run').length === 1 &&
          named(trace, 'write run').length === 1 &&
          named(trace, `publish ${itemSubject}`).length >= TRACED_ITEMS_PER_RUN &&
          named(trace, `process ${itemSubject}`).length >= TRACED_ITEMS_PER_RUN &&
          named(trace, `process lab.events.${runId}.reads.>`).length === named(trace, `publish lab.events.${runId}.reads.>`).length
        );
      }),
    );
    expect(named(spans, 'write run')[0]?.attributes).toMatchObject({
      'lab.queue.traced_items': TRACED_ITEMS_PER_RUN,
      'lab.queue.untraced_items': count - TRACED_ITEMS_PER_RUN,
    });
    expect(named(spans, `publish ${itemSubject}`)).toHaveLength(TRACED_ITEMS_PER_RUN);
    expect(named(spans, `process ${itemSubject}`)).toHaveLength(TRACED_ITEMS_PER_RUN);
    const seqs = named(spans, `process ${itemSubject}`).map((span) => Number(span.attributes['lab.queue.seq']));
    expect(Math.max(...seqs)).toBe(TRACED_ITEMS_PER_RUN);
    // Reports only for reads of traced items, each with its consumption: bounded by the traced items, not the run.
    const reports = named(spans, `publish lab.events.${runId}.reads.>`).length;
    expect(reports).toBeLessThanOrEqual(TRACED_ITEMS_PER_RUN);
    // Beside them: the POST's request span, the queue run, the request to the writer and the write run.
    expect(spans.length).toBeLessThanOrEqual(2 * TRACED_ITEMS_PER_RUN + 2 * reports + 4);
  });
});
