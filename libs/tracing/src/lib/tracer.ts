import { trace, type Tracer } from '@opentelemetry/api';

/** The one tracer every Concurrency Lab span comes from; a no-op one while tracing is off. */
export function labTracer(): Tracer {
  return trace.getTracer('concurrency-lab');
}
