export { startWriter, type WriterOptions, type WriterService } from './lib/writer.js';
