export { parseRunId } from './lib/run-id.js';
export { RUN_STATES, RunRegistry, TooManyRunsError, type RunRecord } from './lib/run-registry.js';
