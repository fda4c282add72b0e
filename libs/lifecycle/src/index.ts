export { checkResultSchema, Readiness, type ReadinessCheck, type ReadinessReport } from './lib/readiness.js';
export { handleShutdown } from './lib/shutdown.js';
