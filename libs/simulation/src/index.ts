export { engineInfoSchema, SimulationEngine, type EngineInfo, type EngineOptions, type RunOptions } from './lib/engine.js';
export { simulationEventSchema, type EventSink, type SimulationEvent } from './lib/events.js';
export { hostCores, SIMULATION_LIMITS, simulationLimitsSchema } from './lib/limits.js';
export { TaskFailedError } from './lib/modes/context.js';
export { seededRandom } from './lib/random.js';
export {
  buildCompareReport,
  buildRunReport,
  compareReportSchema,
  compareRowSchema,
  idealMs,
  runReportSchema,
  simulationReportSchema,
  taskTimingSchema,
  type CompareReport,
  type CompareRow,
  type RunReport,
  type SimulationReport,
  type TaskTiming,
} from './lib/report.js';
export {
  planSimulation,
  PlanLimitError,
  LESSON_MODES,
  RUN_MODES,
  SIMULATION_MODES,
  simulationRequestSchema,
  type RunMode,
  type SimulationMode,
  type SimulationPlan,
  type SimulationRequest,
} from './lib/request.js';
export { RUN_STATUSES, runViewSchema, SimulationRuns, TooManyRunsError, type RunStatus, type RunView } from './lib/runs.js';
export { generateTasks, LESSON_FILES, lessonTasks, scaleTasks, type DownloadTask } from './lib/tasks.js';
export { calibrateCpu, cpuKernel, WORKLOADS, type Calibration, type Workload } from './lib/workload.js';
