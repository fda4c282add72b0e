export { startWriter, type WriterService } from './lib/writer.js';
export { writerMetrics } from './lib/writer-metrics.js';
