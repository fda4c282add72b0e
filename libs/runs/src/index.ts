export type { RunArchive, RunOwner, StoredRun } from './lib/run-archive.js';
export { parseRunId } from './lib/run-id.js';
export { RUN_STATES, RunRegistry, TooManyRunsError, type RunRecord, type RunState } from './lib/run-registry.js';
