import type { z } from 'zod';
import type { queueRunReportSchema, queueTimelineEntrySchema } from './run-report-schema.js';

/** One item's trip through the queue: the shape is the schema's (run-report-schema.ts), one definition for the code and the API document. */
export type QueueTimelineEntry = z.infer<typeof queueTimelineEntrySchema>;

/** The answer of POST /queue-runs, as its schema describes it. */
export type QueueRunReport = z.infer<typeof queueRunReportSchema>;

export type QueueRunFailure = 'writer-unavailable' | 'writer-failed' | 'timeout' | 'cancelled' | 'too-large';

/** A run that did not finish, with how far it got. */
export class QueueRunError extends Error {
  constructor(
    readonly failure: QueueRunFailure,
    message: string,
    readonly runId: string,
    readonly progress: { written?: number; read: number; items: number },
  ) {
    super(message);
    this.name = 'QueueRunError';
  }
}
