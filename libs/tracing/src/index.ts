export { startTracing, tracingIsOn, type StartTracingOptions, type Tracing } from './lib/start-tracing.js';
export { tracingSettingsFromEnv, type TracingSettings } from './lib/settings.js';
export {
  injectTraceContext,
  extractTraceContext,
  traceCarrier,
  contextFromCarrier,
  type HeaderCarrier,
  type TraceCarrier,
} from './lib/propagation.js';
export { messagingAttributes, messagingSpanName, type MessagingOperation, type MessagingSpanFacts } from './lib/messaging.js';
export { labTracer } from './lib/tracer.js';
export { failSpan, inSpan, withSpan } from './lib/span-scope.js';
