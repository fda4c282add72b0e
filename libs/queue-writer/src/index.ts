export { startWriter, type WriterOptions, type WriterService } from './lib/writer.js';
export { writerMetrics } from './lib/writer-metrics.js';
