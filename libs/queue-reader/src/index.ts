export { startReader, type ReaderService } from './lib/reader.js';
export { readerMetrics } from './lib/reader-metrics.js';
