export { engineInfoSchema, SimulationEngine } from './lib/engine.js';
export { simulationEventSchema, type SimulationEvent } from './lib/events.js';
export { hostCores, SIMULATION_LIMITS } from './lib/limits.js';
export { announce, LOCAL_HOST, TaskFailedError, type ModeContext } from './lib/modes/context.js';
export type { TaskDispatcher } from './lib/modes/distributed.js';
export { ModeUnavailableError, type ModeRunsIn } from './lib/modes/mode.js';
export { MODE_CATALOGUE } from './lib/modes/registry.js';
export {
  buildCompareReport,
  buildRunReport,
  idealMs,
  simulationReportSchema,
  type CompareReport,
  type RunReport,
  type SimulationReport,
  type TaskTiming,
} from './lib/report.js';
export {
  checkSimulationRequest,
  LESSON_MODES,
  LOCAL_RUN_MODES,
  RUN_MODES,
  planSimulation,
  PlanLimitError,
  simulationRequestFields,
  type RunMode,
  type SimulationPlan,
} from './lib/request.js';
export { runViewSchema, SimulationRuns, type RunView } from './lib/runs.js';
export { simulationMetrics } from './lib/simulation-metrics.js';
export type { DownloadTask } from './lib/tasks.js';
export { burnCpu, calibrateCpu, WORKLOADS, type Calibration, type Workload } from './lib/workload.js';
