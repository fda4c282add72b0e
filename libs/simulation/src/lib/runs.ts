import type { Logger } from '@concurrency-lab/logger';
import { randomUUID } from 'node:crypto';
import type { SimulationEngine } from './engine.js';
import type { SimulationEvent } from './events.js';
import { SIMULATION_LIMITS } from './limits.js';
import { z } from 'zod';
import { simulationReportSchema, type SimulationReport } from './report.js';
import { RUN_MODES, type SimulationPlan } from './request.js';
import { WORKLOADS } from './workload.js';

export const RUN_STATUSES = ['running', 'finished', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

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
  })
  .meta({ id: 'RunView', description: 'A simulation and how far it has got; a finished one carries its report.' });
export type RunView = z.infer<typeof runViewSchema>;

interface RunRecord {
  view: RunView;
  controller: AbortController;
  /** Events so far while running; once over, only the last one (enough to tell a late watcher how it ended). */
  events: SimulationEvent[];
  watchers: Set<(event: SimulationEvent) => void>;
  done: Promise<void>;
}

export class TooManyRunsError extends Error {
  constructor() {
    super(`at most ${SIMULATION_LIMITS.maxRunsInFlight} simulations run at once`);
    this.name = 'TooManyRunsError';
  }
}

/**
 * The runs of one coordinator: started in the background, watched through
 * events, kept in a bounded history, cancellable.
 */
export class SimulationRuns {
  private readonly runs = new Map<string, RunRecord>();
  private running = 0;

  constructor(
    private readonly engine: SimulationEngine,
    private readonly logger: Logger,
    private readonly options: {
      /** Told of every run as it ends, finished, failed or cancelled (the service's metrics). */
      onRunEnded?: (view: Readonly<RunView>) => void;
    } = {},
  ) {}

  get inFlight(): number {
    return this.running;
  }

  /** The engine's settings and calibration, for GET /simulations. */
  engineInfo(): ReturnType<SimulationEngine['describe']> {
    return this.engine.describe();
  }

  /** Starts a plan in the background; throws TooManyRunsError past the limit. */
  start(plan: SimulationPlan, bindings: Record<string, unknown> = {}): RunView {
    if (this.running >= SIMULATION_LIMITS.maxRunsInFlight) throw new TooManyRunsError();
    const id = randomUUID();
    const logger = this.logger.child({ ...bindings, runId: id });
    const view: RunView = {
      id,
      status: 'running',
      createdAt: new Date().toISOString(),
      modes: plan.modes,
      workload: plan.workload,
      tasks: plan.tasks.length,
      seed: plan.seed,
    };
    const record: RunRecord = { view, controller: new AbortController(), events: [], watchers: new Set(), done: Promise.resolve() };
    const emit = (event: SimulationEvent) => {
      record.events.push(event);
      for (const watcher of record.watchers) watcher(event);
    };
    this.running++;
    this.runs.set(id, record);
    this.trimHistory();
    logger.info({ modes: plan.modes, workload: plan.workload, tasks: plan.tasks.length, seed: plan.seed, scale: plan.scale }, 'run started');

    record.done = this.engine
      .run(plan, { runId: id, logger, signal: record.controller.signal, emit })
      .then(
        (report) => {
          view.status = 'finished';
          view.report = report;
          logger.info(summary(report), 'run finished');
          emit({ type: 'run-finished', runId: id, status: 'finished', report });
        },
        (error: unknown) => {
          const cancelled = record.controller.signal.aborted;
          view.status = cancelled ? 'cancelled' : 'failed';
          view.error = cancelled ? String(record.controller.signal.reason ?? 'cancelled') : error instanceof Error ? error.message : String(error);
          if (cancelled) logger.info({ reason: view.error }, 'run cancelled');
          else logger.error({ err: error }, 'run failed');
          emit({ type: 'run-failed', runId: id, status: view.status, error: view.error });
        },
      )
      .finally(() => {
        view.finishedAt = new Date().toISOString();
        this.running--;
        this.options.onRunEnded?.(view);
        record.events = record.events.slice(-1);
        record.watchers.clear();
      });
    return view;
  }

  get(id: string): RunView | undefined {
    return this.runs.get(id)?.view;
  }

  /** Newest first, without their reports. */
  list(): Omit<RunView, 'report'>[] {
    return [...this.runs.values()].reverse().map(({ view: { report: _report, ...rest } }) => rest);
  }

  /** Resolves when the run has ended or `ms` have passed; true if it ended. */
  async waitFor(id: string, ms: number): Promise<boolean> {
    const record = this.runs.get(id);
    if (!record) return false;
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      record.done.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    return ended;
  }

  /** Cancels a running run and resolves once its processes and threads are gone. */
  async cancel(id: string, reason = 'cancelled by request'): Promise<RunView | undefined> {
    const record = this.runs.get(id);
    if (!record) return undefined;
    if (record.view.status === 'running') record.controller.abort(reason);
    await record.done;
    return record.view;
  }

  /**
   * Calls the watcher with every event so far, then each new one. Returns how
   * to stop watching; for a run that has ended, it gets the last event only.
   */
  watch(id: string, watcher: (event: SimulationEvent) => void): (() => void) | undefined {
    const record = this.runs.get(id);
    if (!record) return undefined;
    for (const event of record.events) watcher(event);
    if (record.view.status !== 'running') return () => undefined;
    record.watchers.add(watcher);
    return () => record.watchers.delete(watcher);
  }

  /** For shutdown: cancels every running run and waits for them. */
  async cancelAll(reason: string): Promise<void> {
    await Promise.all([...this.runs.keys()].map((id) => this.cancel(id, reason)));
  }

  private trimHistory(): void {
    for (const [id, record] of this.runs) {
      if (this.runs.size <= SIMULATION_LIMITS.historySize) return;
      if (record.view.status !== 'running') this.runs.delete(id);
    }
  }
}

function summary(report: SimulationReport): Record<string, unknown> {
  if (report.mode === 'compare') return { table: report.table.map((row) => `${row.mode}:${row.totalMs}ms x${row.speedup}`) };
  return { mode: report.mode, totalMs: report.totalMs, idealMs: report.idealMs, overheadMs: report.overheadMs, speedup: report.speedup };
}
