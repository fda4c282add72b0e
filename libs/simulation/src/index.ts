export { SIMULATION_LIMITS } from './lib/limits.js';
export {
  buildCompareReport,
  buildRunReport,
  idealMs,
  type CompareReport,
  type RunMode,
  type RunReport,
  type TaskTiming,
} from './lib/report.js';
export { SIMULATION_MODES, simulationRequestSchema, tasksFor, type SimulationMode, type SimulationRequest } from './lib/request.js';
export { runParallel, TaskProcessError } from './lib/run-parallel.js';
export { runSequential } from './lib/run-sequential.js';
export { runSimulation, type SimulationOptions, type SimulationReport } from './lib/run-simulation.js';
export { LESSON_FILES, lessonTasks, scaleTasks, type DownloadTask } from './lib/tasks.js';
