export { renderQueueTimeline } from './lib/queue-timeline.js';
export {
  renderSimulationTimeline,
  simulationTimelineFromEvents,
  simulationTimelineFromReport,
  type SimulationTimeline,
} from './lib/simulation-timeline.js';
