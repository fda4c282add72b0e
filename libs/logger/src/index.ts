export { createLogger, type LogFormat, type Logger } from './lib/create-logger.js';
export { REQUEST_ID_HEADER } from './lib/request-id.js';
export { lazyChild } from './lib/lazy-child.js';
export { activeTraceLogFields, traceLogFieldsOf, type TraceLogFields } from './lib/trace-fields.js';
