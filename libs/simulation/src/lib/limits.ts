import { z } from 'zod';
import { availableParallelism } from 'node:os';

/** Every size, count and duration a caller controls, in one place (the README's limits table). */
export const SIMULATION_LIMITS = {
  /** Tasks in one run. */
  maxTasks: 1_000,
  /** One task's duration after scaling, in ms. */
  maxTaskMs: 60_000,
  /**
   * The sum of all durations after scaling: what a sequential run takes, and
   * the CPU time a cpu run burns whatever its mode. Checked when the run
   * includes sequential mode or the cpu workload.
   */
  maxTotalMs: 120_000,
  /** A task name's length in characters. */
  maxNameLength: 200,
  minScale: 0.001,
  maxScale: 10,
  /** How long POST /simulations may wait for the report before answering 202. */
  maxWaitMs: 120_000,
  /**
   * The default run (the lesson's two 5-10 s downloads, sequential then in
   * processes) takes at most 20 s + 10 s plus process start-up: 45 s answers it
   * with its report with half as much again to spare, and stays under the 60 s
   * that proxies commonly allow an answer.
   */
  defaultWaitMs: 45_000,
  /** Simulations running at once in one coordinator; more get 429. */
  maxRunsInFlight: 4,
  /** Finished runs kept for GET /simulations. */
  historySize: 100,
  /** Task processes alive at once (processes mode, all runs together); more tasks wait their turn. */
  maxProcessesInFlight: 64,
  /** Task threads alive at once (threads mode, all runs together). */
  maxThreadsInFlight: 64,
  /** Worker processes in the pool. */
  maxPoolSize: 64,
  /** Server-sent event streams open at once. */
  maxEventStreams: 32,
} as const;

/** SIMULATION_LIMITS as GET /simulations shows them. */
export const simulationLimitsSchema = z
  .strictObject(Object.fromEntries(Object.keys(SIMULATION_LIMITS).map((name) => [name, z.number()])) as Record<keyof typeof SIMULATION_LIMITS, z.ZodNumber>)
  .meta({ id: 'SimulationLimits', description: 'Every size, count and duration a caller of /simulations controls, and their bounds.' });

/** Cores this process may use: the ceiling of CPU-bound parallelism. */
export function hostCores(): number {
  return availableParallelism();
}
