export { EventLog } from './lib/event-log.js';
export { parseRunId } from './lib/run-id.js';
export {
  RUN_STATES,
  RunRegistry,
  TooManyRunsError,
  type RunContext,
  type RunHistoryLimits,
  type RunObserver,
  type RunRecord,
  type RunRegistryOptions,
  type RunState,
} from './lib/run-registry.js';
