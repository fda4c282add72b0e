import type { QueueRunReport } from '@concurrency-lab/queue-runs';

export interface QueueRunHistoryLimits {
  /** Reports kept at most. */
  runs: number;
  /** Timeline entries kept at most, all reports together: a report of 10,000 items weighs a few MB. */
  entries: number;
}

export const QUEUE_RUN_HISTORY_LIMITS: QueueRunHistoryLimits = { runs: 20, entries: 50_000 };

/**
 * The latest finished queue runs, so their timeline can be drawn after
 * POST /queue-runs has answered. In memory only: a restart forgets them,
 * and the oldest go first once either limit is passed (the newest is always
 * kept, however large). A retried run replaces its earlier report.
 */
export class QueueRunHistory {
  private readonly reports = new Map<string, QueueRunReport>();
  private entries = 0;

  constructor(private readonly limits: QueueRunHistoryLimits = QUEUE_RUN_HISTORY_LIMITS) {}

  add(report: QueueRunReport): void {
    this.remove(report.runId);
    this.reports.set(report.runId, report);
    this.entries += report.timeline.length;
    for (const runId of this.reports.keys()) {
      if (this.reports.size <= 1 || (this.reports.size <= this.limits.runs && this.entries <= this.limits.entries)) break;
      this.remove(runId);
    }
  }

  get(runId: string): QueueRunReport | undefined {
    return this.reports.get(runId);
  }

  get size(): number {
    return this.reports.size;
  }

  private remove(runId: string): void {
    const earlier = this.reports.get(runId);
    if (!earlier) return;
    this.entries -= earlier.timeline.length;
    this.reports.delete(runId);
  }
}
