export { runQueue, type RunQueueOptions } from './lib/run-queue.js';
export { queueRunReportSchema, queueTimelineEntrySchema } from './lib/run-report-schema.js';
export { QueueRunError, type QueueRunFailure, type QueueRunReport, type QueueTimelineEntry } from './lib/run-report.js';
export { LESSON_ITEMS, QUEUE_RUN_LIMITS, queueRunRequestSchema, type QueueRunRequest } from './lib/run-request.js';
