import { labTracer } from './tracer.js';
import { context, SpanStatusCode, type Context, type SpanOptions } from '@opentelemetry/api';

/**
 * Runs `work` inside a new active span (a no-op one while tracing is off), a
 * child of `parent` (the active context by default), ending it with the work,
 * as an error if it throws.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>, parent: Context = context.active()): Promise<T> {
  return labTracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
