export { startReader, type ReaderService } from './lib/reader.js';
