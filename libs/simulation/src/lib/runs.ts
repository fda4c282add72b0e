import { lazyChild, type Logger } from '@concurrency-lab/logger';
import { runOwnerSchema, runRecordArchive, type RunRecordsHandle } from '@concurrency-lab/run-records';
import { RunRegistry, RUN_STATES, type StoredRun } from '@concurrency-lab/runs';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SimulationEngine } from './engine.js';
import type { SimulationEvent } from './events.js';
import { SIMULATION_LIMITS } from './limits.js';
import { simulationReportSchema, type SimulationReport } from './report.js';
import { RUN_MODES, type SimulationPlan } from './request.js';
import { WORKLOADS } from './workload.js';

export const RUN_STATUSES = RUN_STATES;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What the registry and a run's record keep of the plan: what a view shows (the tasks themselves are in the report). */
const simulationRunInputSchema = z.strictObject({
  modes: z.array(z.enum(RUN_MODES)).min(1),
  workload: z.enum(WORKLOADS),
  tasks: z.number().int().positive(),
  seed: z.number().int().min(0),
});
type SimulationRunInput = z.infer<typeof simulationRunInputSchema>;

/** What GET /simulations lists (less the report) and GET /simulations/:id returns. */
export const runViewSchema = z
  .strictObject({
    id: z.uuid(),
    status: z.enum(RUN_STATUSES),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().optional(),
    modes: z.array(z.enum(RUN_MODES)).min(1),
    workload: z.enum(WORKLOADS),
    /** How many tasks each mode runs. */
    tasks: z.number().int().positive(),
    seed: z.number().int().min(0),
    /** Why a failed or cancelled run ended. */
    error: z.string().optional(),
    /** A finished run's report. */
    report: simulationReportSchema.optional(),
    /** Set when the answer comes from the run's record, not from this coordinator's memory. */
    recordedBy: runOwnerSchema.optional(),
  })
  .meta({ id: 'RunView', description: 'A simulation and how far it has got; a finished one carries its report.' });
export type RunView = z.infer<typeof runViewSchema>;

type SimulationRun = StoredRun<SimulationRunInput, SimulationReport>;

function viewOf(run: SimulationRun): RunView {
  return {
    id: run.id,
    status: run.state,
    createdAt: run.createdAt.toISOString(),
    ...(run.endedAt ? { finishedAt: run.endedAt.toISOString() } : {}),
    ...run.input,
    ...(run.errorMessage === undefined ? {} : { error: run.errorMessage }),
    ...(run.result ? { report: run.result } : {}),
    ...(run.owner ? { recordedBy: run.owner } : {}),
  };
}

/** The last event of a run: how it ended, for its watchers. */
function endEventOf(run: SimulationRun): SimulationEvent {
  return endEventOfView(viewOf(run)) ?? { type: 'run-failed', runId: run.id, status: 'failed', error: 'failed' };
}

function endEventOfView(view: RunView): SimulationEvent | undefined {
  if (view.status === 'running') return undefined;
  if (view.status === 'finished' && view.report) return { type: 'run-finished', runId: view.id, status: 'finished', report: view.report };
  return {
    type: 'run-failed',
    runId: view.id,
    status: view.status === 'cancelled' ? 'cancelled' : 'failed',
    error: view.error ?? 'failed',
  };
}

/**
 * The simulations of one coordinator, in the run registry: started in the
 * background, watched through events, kept in a bounded history, cancellable.
 */
export class SimulationRuns {
  private readonly registry: RunRegistry<SimulationRunInput, SimulationReport, SimulationEvent>;

  constructor(
    private readonly engine: SimulationEngine,
    private readonly logger: Logger,
    options: {
      /** Told of every run as it ends, finished, failed or cancelled (the service's metrics, simulationMetrics). */
      onRunEnded?: (view: Readonly<RunView>) => void;
      /** The run records bucket: each run recorded as it starts and ends, and read back for an id not in memory. */
      records?: RunRecordsHandle;
    } = {},
  ) {
    const { onRunEnded, records } = options;
    this.registry = new RunRegistry({
      maxInFlight: SIMULATION_LIMITS.maxRunsInFlight,
      tooManyMessage: `at most ${SIMULATION_LIMITS.maxRunsInFlight} simulations run at once`,
      history: { maxRuns: SIMULATION_LIMITS.historySize, countsRunning: true },
      endEvent: endEventOf,
      ...(onRunEnded ? { observer: { runEnded: (run: SimulationRun) => onRunEnded(viewOf(run)) } } : {}),
      ...(records
        ? {
            archive: runRecordArchive({
              ...records,
              kind: 'simulation',
              input: simulationRunInputSchema,
              result: simulationReportSchema,
              logger,
            }),
          }
        : {}),
    });
  }

  get inFlight(): number {
    return this.registry.inFlight;
  }

  /** The engine's settings and calibration, for GET /simulations. */
  engineInfo(): ReturnType<SimulationEngine['describe']> {
    return this.engine.describe();
  }

  /** Rejects with ModeUnavailableError when a mode of the plan cannot run now (distributed: no downloader answers). */
  ensureReady(plan: SimulationPlan): Promise<void> {
    return this.engine.ensureReady(plan.modes);
  }

  /** Starts a plan in the background; throws TooManyRunsError past the limit. */
  start(plan: SimulationPlan, bindings: Record<string, unknown> = {}): RunView {
    const id = randomUUID();
    // Made only if a line is logged: at warn, a run that goes well writes none (nor does its engine's per-mode child).
    const logger = lazyChild(this.logger, { ...bindings, runId: id });
    const input = { modes: plan.modes, workload: plan.workload, tasks: plan.tasks.length, seed: plan.seed };
    const run = this.registry.start(id, input, async ({ signal, emit }) => {
      logger.info(
        { modes: plan.modes, workload: plan.workload, tasks: plan.tasks.length, seed: plan.seed, scale: plan.scale },
        'run started',
      );
      try {
        const report = await this.engine.run(plan, { runId: id, logger, signal, emit });
        logger.info(summary(report), 'run finished');
        return report;
      } catch (error) {
        if (signal.aborted) logger.info({ reason: String(signal.reason ?? 'cancelled') }, 'run cancelled');
        else logger.error({ err: error }, 'run failed');
        throw error;
      }
    });
    return viewOf(run);
  }

  /** A run in this coordinator's memory. */
  get(id: string): RunView | undefined {
    const run = this.registry.get(id);
    return run && viewOf(run);
  }

  /**
   * A run in memory, else from its record (a run of this coordinator before a
   * restart, or of another one); rejects with RunRecordsUnavailableError when the records cannot be read.
   */
  async find(id: string): Promise<RunView | undefined> {
    const run = await this.registry.find(id);
    return run && viewOf(run);
  }

  /** Resolves once every run record written so far is stored or given up on: for shutdown. */
  recordsWritten(): Promise<void> {
    return this.registry.recordsWritten();
  }

  /** Newest first, without their reports. */
  list(): Omit<RunView, 'report'>[] {
    return this.registry.list().map((run) => {
      const { report: _report, ...rest } = viewOf(run);
      return rest;
    });
  }

  /** Resolves when the run has ended or `ms` have passed; true if it ended. */
  waitFor(id: string, ms: number): Promise<boolean> {
    return this.registry.waitFor(id, ms);
  }

  /** Cancels a running run and resolves once its processes and threads are gone. */
  async cancel(id: string, reason = 'cancelled by request'): Promise<RunView | undefined> {
    const run = await this.registry.cancel(id, reason);
    return run && viewOf(run);
  }

  /**
   * Calls the watcher with every event so far, then each new one. Returns how
   * to stop watching; for a run that has ended, it gets the last event only.
   */
  watch(id: string, watcher: (event: SimulationEvent) => void): (() => void) | undefined {
    return this.registry.get(id)?.events.subscribe(watcher);
  }

  /** For a run known from its record only: the last event a late watcher would get, or undefined while it runs elsewhere. */
  lastEventOf(view: RunView): SimulationEvent | undefined {
    return endEventOfView(view);
  }

  /** The events of a run so far (of one that has ended, the last only). */
  eventsSoFar(id: string): readonly SimulationEvent[] {
    return this.registry.get(id)?.events.soFar() ?? [];
  }

  /** For shutdown: cancels every running run and waits for them. */
  cancelAll(reason: string): Promise<void> {
    return this.registry.cancelAll(reason);
  }
}

function summary(report: SimulationReport): Record<string, unknown> {
  if (report.mode === 'compare') return { table: report.table.map((row) => `${row.mode}:${row.totalMs}ms x${row.speedup}`) };
  return { mode: report.mode, totalMs: report.totalMs, idealMs: report.idealMs, overheadMs: report.overheadMs, speedup: report.speedup };
}
