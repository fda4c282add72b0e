import { availableParallelism } from 'node:os';

/**
 * The engine's bounds: sizes, counts and durations of a run, the runs kept and
 * in flight, processes and threads alive. What the HTTP API adds (how long a
 * request waits, event streams) is the coordinator's.
 */
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
} as const;

let cores: number | undefined;

/**
 * Cores this process may use: the ceiling of CPU-bound parallelism. Asked of
 * the system once: it is a system call (the CPU affinity mask), which every
 * run's report would otherwise pay, tens of µs on a busy host.
 */
export function hostCores(): number {
  return (cores ??= availableParallelism());
}
