export { queueRunMetrics } from './lib/queue-run-metrics.js';
export { queueRunViewSchema, QueueRuns, type QueueRunView } from './lib/queue-runs.js';
export { runQueue } from './lib/run-queue.js';
export { queueRunReportSchema } from './lib/run-report-schema.js';
export { QueueRunError, type QueueRunFailure, type QueueRunReport, type QueueTimelineEntry } from './lib/run-report.js';
export { QUEUE_RUN_LIMITS, queueRunRequestSchema, type QueueRunRequest } from './lib/run-request.js';
