import { context, SpanStatusCode, trace, type Context, type Span, type SpanOptions } from '@opentelemetry/api';
import { labTracer } from './tracer.js';

/** Marks a span failed, with the error's message (the OpenTelemetry way: ERROR status, the exception as an event). */
export function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/**
 * Runs `work` with `span` active on top of `parent` (so log lines inside carry
 * its ids, and spans started inside are its children); a throw or rejection
 * fails the span, and the span ends either way.
 */
export async function withSpan<T>(span: Span, parent: Context, work: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** withSpan for a new span named `name`, a child of `parent` (the active context by default): a no-op span while tracing is off. */
export function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>, parent: Context = context.active()): Promise<T> {
  return withSpan(labTracer().startSpan(name, options, parent), parent, work);
}
