/** Every size, count and duration a caller controls, in one place (the README's limits table). */
export const SIMULATION_LIMITS = {
  /** Tasks in one run. */
  maxTasks: 100,
  /** One task's duration after scaling, in ms. */
  maxTaskMs: 60_000,
  /** The sum of all durations after scaling, which is what a sequential run takes. */
  maxTotalMs: 120_000,
  /** A task name's length in characters. */
  maxNameLength: 200,
  minScale: 0.001,
  maxScale: 10,
  /** Simulations running at once in one coordinator; more get 429. */
  maxRunsInFlight: 4,
} as const;
