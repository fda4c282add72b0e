import type { LogFormat, Logger } from '@concurrency-lab/logger';
import { epochNow } from '@concurrency-lab/clock';
import type { EventSink } from './events.js';
import { hostCores, SIMULATION_LIMITS } from './limits.js';
import type { ModeRunner } from './modes/context.js';
import type { TaskDispatcher } from './modes/distributed.js';
import type { EngineResources } from './modes/mode.js';
import { ProcessPool } from './modes/pool.js';
import { MODE_BY_NAME, MODES } from './modes/registry.js';
import { buildCompareReport, buildRunReport, type RunReport, type SimulationReport } from './report.js';
import type { RunMode, SimulationPlan } from './request.js';
import { Semaphore } from './semaphore.js';
import { TaskSpans } from './task-spans.js';
import { trace } from '@opentelemetry/api';
import { inSpan } from '@concurrency-lab/tracing';
import { z } from 'zod';
import { calibrateCpu, type Calibration } from './workload.js';

/** The engine's settings and cpu calibration, as GET /simulations shows them. */
export const engineInfoSchema = z
  .strictObject({
    hostCores: z.number().int().positive(),
    poolSize: z.number().int().positive(),
    /** The pool's worker processes, warm between runs. */
    poolPids: z.array(z.number().int().positive()),
    maxProcesses: z.number().int().positive(),
    maxThreads: z.number().int().positive(),
    calibration: z.strictObject({ iterationsPerMs: z.number(), tookMs: z.number(), calibratedAt: z.string() }),
  })
  .meta({ id: 'EngineInfo' });
export type EngineInfo = z.infer<typeof engineInfoSchema>;

export interface EngineOptions {
  logger: Logger;
  /** Worker processes in the pool; the host's cores by default. */
  poolSize?: number;
  /** Measured at start when not given. */
  calibration?: Calibration;
  /** Task processes alive at once across runs (processes mode). */
  maxProcesses?: number;
  /** Task threads alive at once across runs (threads mode). */
  maxThreads?: number;
  /** The service's log format, for the lines task processes write themselves; json when not given. */
  logFormat?: LogFormat;
  /** Hands tasks to downloaders (distributed mode); without it that mode answers ModeUnavailableError. */
  dispatcher?: TaskDispatcher;
}

export interface RunOptions {
  runId: string;
  logger: Logger;
  signal: AbortSignal;
  emit?: EventSink;
}

/**
 * Runs plans in every mode. Holds what outlives a run: the cpu calibration,
 * the warm process pool, and the limits on processes and threads alive at
 * once across all runs.
 */
export class SimulationEngine {
  readonly calibration: Calibration;
  readonly poolSize: number;
  readonly maxProcesses: number;
  readonly maxThreads: number;
  private readonly logFormat: LogFormat;
  private readonly pool: ProcessPool;
  private readonly resources: EngineResources;
  private readonly runners: Record<RunMode, ModeRunner>;

  private constructor(options: EngineOptions) {
    this.calibration = options.calibration ?? calibrateCpu();
    this.poolSize = Math.min(Math.max(1, options.poolSize ?? hostCores()), SIMULATION_LIMITS.maxPoolSize);
    this.maxProcesses = options.maxProcesses ?? SIMULATION_LIMITS.maxProcessesInFlight;
    this.maxThreads = options.maxThreads ?? SIMULATION_LIMITS.maxThreadsInFlight;
    this.logFormat = options.logFormat ?? 'json';
    this.pool = new ProcessPool(this.poolSize, options.logger);
    this.resources = {
      processSlots: new Semaphore(this.maxProcesses),
      threadSlots: new Semaphore(this.maxThreads),
      pool: this.pool,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    };
    this.runners = Object.fromEntries(MODES.map((mode) => [mode.name, mode.runner(this.resources)])) as Record<RunMode, ModeRunner>;
  }

  /** Calibrates the cpu workload and starts the warm pool. */
  static start(options: EngineOptions): SimulationEngine {
    const engine = new SimulationEngine(options);
    engine.pool.start();
    options.logger.info({ calibration: engine.calibration, poolSize: engine.poolSize, hostCores: hostCores() }, 'simulation engine ready');
    return engine;
  }

  get poolPids(): number[] {
    return this.pool.pids;
  }

  /** What GET /simulations shows of the engine. */
  describe(): EngineInfo {
    return {
      hostCores: hostCores(),
      poolSize: this.poolSize,
      poolPids: this.poolPids,
      maxProcesses: this.maxProcesses,
      maxThreads: this.maxThreads,
      calibration: this.calibration,
    };
  }

  /** How many tasks a mode lets run at once here. */
  parallelism(mode: RunMode, tasks: number): number {
    return MODE_BY_NAME[mode].parallelism(tasks, this.resources);
  }

  /** Rejects with ModeUnavailableError, within each mode's bound, when a mode of the plan cannot run now. */
  async ensureReady(modes: readonly RunMode[]): Promise<void> {
    for (const mode of modes) await MODE_BY_NAME[mode].ensureReady?.(this.resources);
  }

  /** Runs the plan's modes one after another (so they do not disturb each other) and reports; the run and each mode are spans. */
  async run(plan: SimulationPlan, options: RunOptions): Promise<SimulationReport> {
    const attributes = { 'lab.run.id': options.runId, 'lab.simulation.modes': [...plan.modes], 'lab.simulation.tasks': plan.tasks.length };
    return inSpan('simulation', { attributes }, async () => {
      const reports: RunReport[] = [];
      for (const mode of plan.modes)
        reports.push(await inSpan(`mode ${mode}`, { attributes: { 'lab.mode': mode } }, () => this.runMode(mode, plan, options)));
      return plan.compare ? buildCompareReport(reports) : (reports[0] as RunReport);
    });
  }

  private async runMode(mode: RunMode, plan: SimulationPlan, options: RunOptions): Promise<RunReport> {
    const logger = options.logger.child({ mode });
    const runStart = epochNow();
    const spans = new TaskSpans();
    const timings = await this.runners[mode](plan.tasks, {
      runId: options.runId,
      mode,
      workload: plan.workload,
      iterationsPerMs: this.calibration.iterationsPerMs,
      logger,
      logFormat: this.logFormat,
      signal: options.signal,
      runStart,
      emit: options.emit ?? (() => undefined),
      spans,
    }).catch((error: unknown) => {
      spans.endUnfinished(error);
      throw error;
    });
    const report = buildRunReport({
      runId: options.runId,
      mode,
      workload: plan.workload,
      seed: plan.seed,
      hostCores: hostCores(),
      parallelism: this.parallelism(mode, plan.tasks.length),
      totalMs: epochNow() - runStart,
      tasks: timings,
    });
    const { totalMs, idealMs, overheadMs, speedup } = report;
    trace.getActiveSpan()?.setAttributes({ 'lab.total_ms': totalMs, 'lab.ideal_ms': idealMs, 'lab.overhead_ms': overheadMs });
    logger.info({ totalMs, idealMs, overheadMs, speedup }, 'mode finished');
    return report;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
