import type { Logger } from '@concurrency-lab/logger';
import { runOwnerSchema, runRecordArchive, type RunRecordsHandle } from '@concurrency-lab/run-records';
import { RUN_STATES, RunRegistry, type RunRecord, type StoredRun } from '@concurrency-lab/runs';
import { z } from 'zod';
import { queueRunReportSchema } from './run-report-schema.js';
import { QueueRunError, type QueueRunReport } from './run-report.js';
import { QUEUE_RUN_LIMITS, queueRunRequestSchema, type QueueRunRequest } from './run-request.js';

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

/** What the registry and a run's record keep of the request: the items themselves are in the report's timeline. */
const queueRunSummarySchema = z.strictObject({
  runId: z.uuid(),
  transport: queueRunRequestSchema.shape.transport.unwrap(),
  readerStart: queueRunRequestSchema.shape.readerStart.unwrap(),
  items: z.number().int().positive(),
  writeDelayMs: z.number(),
  readDelayMs: z.number(),
  scale: z.number(),
});
type QueueRunSummary = z.infer<typeof queueRunSummarySchema>;
type QueueRunRecord = RunRecord<QueueRunSummary, QueueRunReport, never>;

/** What GET /queue-runs/:id answers: a queue run and how far it got; a finished one carries its report. */
export const queueRunViewSchema = z
  .strictObject({
    ...queueRunSummarySchema.shape,
    status: z.enum(RUN_STATES),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().optional(),
    /** Why a failed or cancelled run ended. */
    error: z.string().optional(),
    report: queueRunReportSchema.optional(),
    /** Set when the answer comes from the run's record, not from this coordinator's memory. */
    recordedBy: runOwnerSchema.optional(),
  })
  .meta({ id: 'QueueRunView', description: 'A queue run and how far it has got; a finished one carries its report.' });
export type QueueRunView = z.infer<typeof queueRunViewSchema>;

function summaryOf(run: QueueRunInput): QueueRunSummary {
  const { runId, transport, readerStart, items, writeDelayMs, readDelayMs, scale } = run;
  return { runId, transport, readerStart, items: items.length, writeDelayMs, readDelayMs, scale };
}

function viewOf(run: StoredRun<QueueRunSummary, QueueRunReport>): QueueRunView {
  return {
    ...run.input,
    status: run.state,
    createdAt: run.createdAt.toISOString(),
    ...(run.endedAt ? { finishedAt: run.endedAt.toISOString() } : {}),
    ...(run.errorMessage === undefined ? {} : { error: run.errorMessage }),
    ...(run.result ? { report: run.result } : {}),
    ...(run.owner ? { recordedBy: run.owner } : {}),
  };
}

function outcomeOf(run: QueueRunRecord): string {
  if (run.state === 'finished') return 'finished';
  return run.error instanceof QueueRunError ? run.error.failure : 'error';
}

/**
 * The coordinator's queue runs in the run registry: at most
 * QUEUE_RUN_LIMITS.maxRunsInFlight at once, each counted in the metrics as it
 * ends, and the latest finished ones kept so their timeline can be drawn after
 * POST /queue-runs has answered; the oldest go first once either history limit
 * is passed (the newest is always kept, however large); a retried run
 * replaces its earlier report. With the run records, every run is also
 * recorded as it starts and ends, and read back once memory has let it go.
 */
export class QueueRuns {
  private readonly registry: RunRegistry<QueueRunSummary, QueueRunReport, never>;

  constructor(
    options: { observer?: QueueRunObserver; history?: QueueRunHistoryLimits; records?: RunRecordsHandle & { logger: Logger } } = {},
  ) {
    const history = options.history ?? QUEUE_RUN_HISTORY_LIMITS;
    const { observer, records } = options;
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
      ...(records
        ? { archive: runRecordArchive({ ...records, kind: 'queue', input: queueRunSummarySchema, result: queueRunReportSchema }) }
        : {}),
    });
  }

  /**
   * Runs `work` as the queue run `run` and resolves with its report, or
   * rejects with what it failed with. Throws TooManyRunsError at once past the limit.
   */
  run(run: QueueRunInput, work: () => Promise<QueueRunReport>): Promise<QueueRunReport> {
    const record = this.registry.start(run.runId, summaryOf(run), work);
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

  /**
   * A run in memory, else from its record (an earlier process's or another
   * coordinator's run, or one memory has let go); rejects with RunRecordsUnavailableError when the records cannot be read.
   */
  async find(runId: string): Promise<QueueRunView | undefined> {
    const run = await this.registry.find(runId);
    return run && viewOf(run);
  }

  /** Resolves once every run record written so far is stored or given up on: for shutdown. */
  recordsWritten(): Promise<void> {
    return this.registry.recordsWritten();
  }
}
