import { context, trace, type Context, type SpanContext } from '@opentelemetry/api';

/** What a log line carries to be found from its trace, under the names the OpenTelemetry log data model uses. */
export interface TraceLogFields {
  trace_id?: string;
  span_id?: string;
}

/** The ids of a span's context, or none for an invalid (no-op) one. */
export function traceLogFieldsOf(spanContext: SpanContext | undefined): TraceLogFields {
  // A fresh object each time: pino merges a line's fields into what its mixin returns.
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * The trace and span ids of the active span, for a pino mixin: every line
 * written inside a span carries them. Outside one, or with tracing off, an empty
 * object.
 */
export function activeTraceLogFields(from: Context = context.active()): TraceLogFields {
  return traceLogFieldsOf(trace.getSpanContext(from));
}
