export { renderGantt, type GanttBar, type GanttChart, type GanttLegendEntry, type GanttMarker, type GanttPanel, type GanttRow } from './lib/gantt.js';
export { ColorKeys, PALETTE, WAITING_COLOR } from './lib/palette.js';
export { packWaits, renderQueueTimeline, type QueueEntryLike, type QueueReportLike } from './lib/queue-timeline.js';
export {
  renderSimulationTimeline,
  simulationTimelineFromEvents,
  simulationTimelineFromReport,
  type CompareReportLike,
  type ModeTimeline,
  type RunReportLike,
  type SimulationReportLike,
  type SimulationTimeline,
  type TaskEventLike,
  type TaskTimingLike,
  type TimelineTask,
} from './lib/simulation-timeline.js';
export { escapeXml, formatMs, niceTicks, truncate } from './lib/svg.js';
