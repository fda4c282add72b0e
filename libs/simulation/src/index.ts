export { engineInfoSchema, SimulationEngine } from './lib/engine.js';
export { simulationEventSchema, type SimulationEvent } from './lib/events.js';
export { hostCores, SIMULATION_LIMITS } from './lib/limits.js';
export type { ModeRunsIn } from './lib/modes/mode.js';
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
  planSimulation,
  PlanLimitError,
  simulationRequestFields,
  type RunMode,
  type SimulationPlan,
} from './lib/request.js';
export { runViewSchema, SimulationRuns, type RunView } from './lib/runs.js';
export { simulationMetrics } from './lib/simulation-metrics.js';
