export { startTracing, type StartTracingOptions, type Tracing } from './lib/start-tracing.js';
export { tracingSettingsFromEnv, type TracingSettings } from './lib/settings.js';
export {
  injectTraceContext,
  extractTraceContext,
  traceEnvironment,
  contextFromEnvironment,
  type HeaderCarrier,
} from './lib/propagation.js';
export { messagingAttributes, messagingSpanName, type MessagingOperation, type MessagingSpanFacts } from './lib/messaging.js';
export { labTracer } from './lib/tracer.js';
export { failSpan, inSpan } from './lib/span-scope.js';
