import { startOtlpReceiver, type OtlpReceiver } from '@concurrency-lab/testing';
import { context, ROOT_CONTEXT, SpanKind, trace, type Context } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagingAttributes } from './messaging.js';
import { contextFromCarrier, extractTraceContext, injectTraceContext, traceCarrier } from './propagation.js';
import { startTracing, type Tracing } from './start-tracing.js';
import { labTracer } from './tracer.js';

/** Headers as nats.js MsgHdrs behaves: get answers "" for a missing key. */
class Headers {
  private readonly values = new Map<string, string>();
  get = (key: string) => this.values.get(key) ?? '';
  set = (key: string, value: string) => void this.values.set(key, value);
  keys = () => [...this.values.keys()];
}

/** The ids of the span a context holds, as a log line would name them. */
const idsOf = (from: Context) => {
  const spanContext = trace.getSpanContext(from);
  return spanContext && trace.isSpanContextValid(spanContext) ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : undefined;
};

describe('tracing off', () => {
  it('loads nothing, propagates nothing and adds nothing to log lines', async () => {
    const tracing = await startTracing({ service: 'test', env: {} });
    expect(tracing).toMatchObject({ enabled: false, why: 'no OTEL_EXPORTER_OTLP_ENDPOINT' });
    const span = labTracer().startSpan('unseen');
    const headers = new Headers();
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => {
      injectTraceContext(headers);
      expect(idsOf(context.active())).toBeUndefined();
      expect(traceCarrier()).toBeUndefined();
    });
    span.end();
    expect(headers.keys()).toEqual([]);
    await tracing.shutdown();
  });
});

describe('tracing on, exporting to an OTLP/HTTP receiver', () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    tracing = await startTracing({
      service: 'tracing-spec',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50' },
    });
  });
  afterAll(async () => {
    await tracing.shutdown();
    await receiver.close();
  });

  it('carries a trace over message headers as W3C traceparent, with the parent link kept', async () => {
    const headers = new Headers();
    const producer = labTracer().startSpan('publish lab.test', {
      kind: SpanKind.PRODUCER,
      attributes: messagingAttributes({ operation: 'send', operationName: 'publish', destination: 'lab.test', messageId: 'm-1' }),
    });
    context.with(trace.setSpan(context.active(), producer), () => injectTraceContext(headers));
    producer.end();
    expect(headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // The consumer side: a fresh root context, as in another service.
    const consumerContext = extractTraceContext(headers, ROOT_CONTEXT);
    const consumer = labTracer().startSpan('process lab.test', { kind: SpanKind.CONSUMER }, consumerContext);
    const activeIds = context.with(trace.setSpan(consumerContext, consumer), () => idsOf(context.active()));
    consumer.end();
    await tracing.flush();

    const spans = await receiver.waitForSpans('both spans', (all) => all.length >= 2);
    const sent = spans.find((span) => span.name === 'publish lab.test')!;
    const processed = spans.find((span) => span.name === 'process lab.test')!;
    expect(processed.traceId).toBe(sent.traceId);
    expect(processed.parentSpanId).toBe(sent.spanId);
    expect(sent).toMatchObject({
      service: 'tracing-spec',
      kind: 4,
      attributes: { 'messaging.system': 'nats', 'messaging.message.id': 'm-1' },
    });
    expect(activeIds).toEqual({ traceId: processed.traceId, spanId: processed.spanId });
  });

  it('hands a trace to a task process in a plain object, which reads it back without an SDK', () => {
    const parent = labTracer().startSpan('task');
    const carrier = context.with(trace.setSpan(context.active(), parent), () => traceCarrier());
    parent.end();
    expect(Object.keys(carrier!)).toEqual(['traceparent']);
    // Through JSON, as over IPC.
    const childContext = contextFromCarrier(JSON.parse(JSON.stringify(carrier)));
    expect(idsOf(childContext)).toEqual({ traceId: parent.spanContext().traceId, spanId: parent.spanContext().spanId });
    expect(idsOf(contextFromCarrier({ traceparent: 'not a traceparent' }))).toBeUndefined();
  });
});
