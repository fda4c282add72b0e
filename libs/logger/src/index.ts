export { createLogger, prettyOptions, type LogFormat, type Logger, type LoggerOptions } from './lib/create-logger.js';
