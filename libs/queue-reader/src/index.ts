export { startReader, type ReaderOptions, type ReaderService } from './lib/reader.js';
