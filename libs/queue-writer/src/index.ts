export { startWriter, type WriterService } from './lib/writer.js';
