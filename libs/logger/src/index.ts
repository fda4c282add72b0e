export { createLogger, type LogFormat, type Logger } from './lib/create-logger.js';
export { REQUEST_ID_HEADER } from './lib/request-id.js';
