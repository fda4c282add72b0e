import { RunRegistry, type RunRecord } from '@concurrency-lab/runs';
import { QueueRunError, type QueueRunReport } from './run-report.js';
import { QUEUE_RUN_LIMITS, type QueueRunRequest } from './run-request.js';

export interface QueueRunHistoryLimits {
  /** Reports kept at most. */
  runs: number;
  /** Timeline entries kept at most, all reports together: a report of 10,000 items weighs a few MB. */
  entries: number;
}

export const QUEUE_RUN_HISTORY_LIMITS: QueueRunHistoryLimits = { runs: 20, entries: 50_000 };

/** Told of every queue run as it ends: the outcome is `finished`, the QueueRunFailure, or `error` (an unexpected one). */
export interface QueueRunObserver {
  runEnded(transport: string, outcome: string): void;
}

type QueueRunInput = QueueRunRequest & { runId: string };
type QueueRunRecord = RunRecord<QueueRunInput, QueueRunReport, never>;

function outcomeOf(run: QueueRunRecord): string {
  if (run.state === 'finished') return 'finished';
  return run.error instanceof QueueRunError ? run.error.failure : 'error';
}

/**
 * The coordinator's queue runs in the run registry: at most
 * QUEUE_RUN_LIMITS.maxRunsInFlight at once, each counted in the metrics as it
 * ends, and the latest finished ones kept so their timeline can be drawn after
 * POST /queue-runs has answered. In memory only: a restart forgets them; the
 * oldest go first once either history limit is passed (the newest is always
 * kept, however large); a retried run replaces its earlier report.
 */
export class QueueRuns {
  private readonly registry: RunRegistry<QueueRunInput, QueueRunReport, never>;

  constructor(options: { observer?: QueueRunObserver; history?: QueueRunHistoryLimits } = {}) {
    const history = options.history ?? QUEUE_RUN_HISTORY_LIMITS;
    const observer = options.observer;
    this.registry = new RunRegistry({
      maxInFlight: QUEUE_RUN_LIMITS.maxRunsInFlight,
      tooManyMessage: `at most ${QUEUE_RUN_LIMITS.maxRunsInFlight} queue runs at once`,
      history: {
        maxRuns: history.runs,
        maxWeight: history.entries,
        weightOf: (run) => run.result?.timeline.length ?? 0,
        keeps: (run) => run.state === 'finished',
      },
      ...(observer ? { observer: { runEnded: (run: QueueRunRecord) => observer.runEnded(run.input.transport, outcomeOf(run)) } } : {}),
    });
  }

  /**
   * Runs `work` as the queue run `run` and resolves with its report, or
   * rejects with what it failed with. Throws TooManyRunsError at once past the limit.
   */
  run(run: QueueRunInput, work: () => Promise<QueueRunReport>): Promise<QueueRunReport> {
    const record = this.registry.start(run.runId, run, work);
    return record.done.then(() => {
      if (record.state !== 'finished' || !record.result) throw record.error;
      return record.result;
    });
  }

  /** A finished run's report, while it is kept. */
  report(runId: string): QueueRunReport | undefined {
    const run = this.registry.get(runId);
    return run?.state === 'finished' ? run.result : undefined;
  }
}
