export { handleShutdown, type ShutdownOptions } from './lib/shutdown.js';
