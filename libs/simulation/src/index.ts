export { SimulationEngine, type EngineOptions, type RunOptions } from './lib/engine.js';
export type { EventSink, SimulationEvent } from './lib/events.js';
export { hostCores, SIMULATION_LIMITS } from './lib/limits.js';
export { TaskFailedError } from './lib/modes/context.js';
export { seededRandom } from './lib/random.js';
export {
  buildCompareReport,
  buildRunReport,
  idealMs,
  type CompareReport,
  type CompareRow,
  type RunReport,
  type SimulationReport,
  type TaskTiming,
} from './lib/report.js';
export {
  planSimulation,
  PlanLimitError,
  RUN_MODES,
  SIMULATION_MODES,
  simulationRequestSchema,
  type RunMode,
  type SimulationMode,
  type SimulationPlan,
  type SimulationRequest,
} from './lib/request.js';
export { SimulationRuns, TooManyRunsError, type RunStatus, type RunView } from './lib/runs.js';
export { generateTasks, LESSON_FILES, lessonTasks, scaleTasks, type DownloadTask } from './lib/tasks.js';
export { calibrateCpu, cpuKernel, WORKLOADS, type Calibration, type Workload } from './lib/workload.js';
