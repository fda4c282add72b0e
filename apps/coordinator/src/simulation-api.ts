import { checkSimulationRequest, SIMULATION_LIMITS, simulationRequestFields } from '@concurrency-lab/simulation';
import { z } from 'zod';

/** What the HTTP API adds to the engine's bounds: how long a request waits, event streams open at once. */
const HTTP_LIMITS = {
  /** How long POST /simulations may wait for the report before answering 202. */
  maxWaitMs: 120_000,
  /**
   * The default run (the lesson's two 5-10 s downloads, sequential then in
   * processes) takes at most 20 s + 10 s plus process start-up: 45 s answers it
   * with its report with half as much again to spare, and stays under the 60 s
   * that proxies commonly allow an answer.
   */
  defaultWaitMs: 45_000,
  /** Server-sent event streams open at once. */
  maxEventStreams: 32,
} as const;

const engine = SIMULATION_LIMITS;

/** Every size, count and duration a caller of /simulations controls, in one place (the README's limits table), as GET /simulations shows them. */
export const SIMULATION_API_LIMITS = {
  maxTasks: engine.maxTasks,
  maxTaskMs: engine.maxTaskMs,
  maxTotalMs: engine.maxTotalMs,
  maxNameLength: engine.maxNameLength,
  minScale: engine.minScale,
  maxScale: engine.maxScale,
  maxWaitMs: HTTP_LIMITS.maxWaitMs,
  defaultWaitMs: HTTP_LIMITS.defaultWaitMs,
  maxRunsInFlight: engine.maxRunsInFlight,
  historySize: engine.historySize,
  maxProcessesInFlight: engine.maxProcessesInFlight,
  maxThreadsInFlight: engine.maxThreadsInFlight,
  maxPoolSize: engine.maxPoolSize,
  maxEventStreams: HTTP_LIMITS.maxEventStreams,
} as const;

export const simulationLimitsSchema = z
  .strictObject(
    Object.fromEntries(Object.keys(SIMULATION_API_LIMITS).map((name) => [name, z.number()])) as Record<
      keyof typeof SIMULATION_API_LIMITS,
      z.ZodNumber
    >,
  )
  .meta({ id: 'SimulationLimits', description: 'Every size, count and duration a caller of /simulations controls, and their bounds.' });

const { maxWaitMs, defaultWaitMs } = HTTP_LIMITS;

/** The body of POST /simulations: a simulation request and how long to wait for its report. */
export const simulationBodySchema = z
  .object({
    ...simulationRequestFields,
    waitMs: z
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(0, `must be from 0 to ${maxWaitMs}`)
      .max(maxWaitMs, `must be from 0 to ${maxWaitMs}`)
      .default(defaultWaitMs),
  })
  .strict()
  .superRefine(checkSimulationRequest);
