import { z } from 'zod';
import { SIMULATION_LIMITS as limits } from './limits.js';
import { MODES, type RunMode } from './modes/registry.js';
import { newSeed, seededRandom } from './random.js';
import { generateTasks, lessonTasks, scaleTasks, type DownloadTask } from './tasks.js';
import { WORKLOADS, type Workload } from './workload.js';

/** The ways to run the same tasks, from the mode registry (modes/registry.ts). */
export const RUN_MODES = MODES.map((mode) => mode.name) as [RunMode, ...RunMode[]];
export type { RunMode };
/** What a request may ask for: a mode, `compare` (several modes), or `parallel`, the walking skeleton's name for processes. */
export const SIMULATION_MODES = [...RUN_MODES, 'compare', 'parallel'] as const;
export type SimulationMode = (typeof SIMULATION_MODES)[number];
/**
 * The lesson's comparison, run when a request names neither `mode` nor
 * `modes`: its downloads one after another, then one OS process per download.
 * A request that says `mode: "compare"` without `modes` compares every mode that runs on the coordinator's host.
 */
export const LESSON_MODES: readonly RunMode[] = MODES.filter((mode) => mode.lesson).map((mode) => mode.name);
/**
 * What `mode: "compare"` without `modes` runs: every mode that runs in the
 * coordinator's host. Modes that need other services (distributed: downloaders)
 * run only when named, so a plain compare never waits on a service that is not there.
 */
export const LOCAL_RUN_MODES = MODES.filter((mode) => mode.runsIn !== 'downloaders').map((mode) => mode.name) as [RunMode, ...RunMode[]];

const modeList = `one of ${SIMULATION_MODES.join(', ')}`;
const duration = z
  .number({ error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(0, 'must not be negative')
  .max(limits.maxTaskMs, `must be at most ${limits.maxTaskMs}`);

const taskSchema = z
  .object(
    {
      name: z
        .string({ error: 'must be a string' })
        .trim()
        .min(1, 'must not be empty')
        .max(limits.maxNameLength, `must be at most ${limits.maxNameLength} characters`),
      durationMs: duration,
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object { name, durationMs }' : undefined) },
  )
  .strict();

/** The fields of a simulation request; the coordinator's body adds how long to wait for the report. */
export const simulationRequestFields = {
  // No default here: a request without `mode` (and without `modes`) is the lesson's comparison, see planSimulation.
  mode: z
    .enum(SIMULATION_MODES, { error: `must be ${modeList}` })
    .optional()
    .meta({
      description: `How to run the tasks; without it (and without modes), a compare of ${LESSON_MODES.join(' and ')}, the lesson's run.`,
    }),
  modes: z
    .array(z.enum(RUN_MODES, { error: `must be one of ${RUN_MODES.join(', ')}` }), { error: 'must be an array of modes' })
    .min(1, 'must name at least one mode')
    .max(RUN_MODES.length, `must name at most ${RUN_MODES.length} modes`)
    .refine((modes) => new Set(modes).size === modes.length, 'must not name a mode twice')
    .optional()
    .meta({
      description: `The modes a compare runs, in this order; without it, the ${LOCAL_RUN_MODES.length} that run on the coordinator's host (${LOCAL_RUN_MODES.join(', ')}) when mode is "compare", else the lesson's: ${LESSON_MODES.join(' and ')}.`,
    }),
  workload: z.enum(WORKLOADS, { error: `must be one of ${WORKLOADS.join(', ')}` }).default('io'),
  tasks: z
    .array(taskSchema, { error: 'must be an array of { name, durationMs }' })
    .min(1, 'must hold at least one task')
    .max(limits.maxTasks, `must hold at most ${limits.maxTasks} tasks`)
    .optional(),
  count: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, `must be from 1 to ${limits.maxTasks}`)
    .max(limits.maxTasks, `must be from 1 to ${limits.maxTasks}`)
    .optional(),
  minMs: duration.optional(),
  maxMs: duration.optional(),
  seed: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  scale: z
    .number({ error: 'must be a number' })
    .min(limits.minScale, `must be from ${limits.minScale} to ${limits.maxScale}`)
    .max(limits.maxScale, `must be from ${limits.minScale} to ${limits.maxScale}`)
    .default(1),
};

type RequestFields = z.infer<z.ZodObject<typeof simulationRequestFields>>;

/** The checks across fields, for any schema made of simulationRequestFields (a superRefine). */
export function checkSimulationRequest(request: RequestFields, context: z.RefinementCtx): void {
  const problem = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
  if (request.tasks && request.count !== undefined) problem('count', 'cannot be combined with tasks');
  if (request.modes && request.mode !== undefined && request.mode !== 'compare') problem('modes', 'only goes with mode "compare"');
  if ((request.minMs !== undefined || request.maxMs !== undefined) && request.count === undefined) {
    problem(request.minMs !== undefined ? 'minMs' : 'maxMs', 'only goes with count');
  }
  const range = durationRange(request);
  if (range.min > range.max) {
    problem(request.minMs !== undefined ? 'minMs' : 'maxMs', `makes the range ${range.min} to ${range.max} ms empty`);
  }
  const longest = request.tasks
    ? Math.max(...request.tasks.map((task) => task.durationMs))
    : request.count !== undefined
      ? range.max
      : 10_000;
  if (longest * request.scale > limits.maxTaskMs) {
    problem('scale', `makes a task longer than ${limits.maxTaskMs} ms`);
  }
}

/** A simulation request as the engine plans it. */
export const simulationRequestSchema = z.object(simulationRequestFields).strict().superRefine(checkSimulationRequest);

export type SimulationRequest = z.infer<typeof simulationRequestSchema>;

const DEFAULT_MIN_MS = 200;
const DEFAULT_MAX_MS = 1_000;

/** The range random tasks are drawn from; a bound not given is the default, or the other bound if that lies beyond it. */
function durationRange(request: { minMs?: number | undefined; maxMs?: number | undefined }): { min: number; max: number } {
  if (request.minMs !== undefined && request.maxMs !== undefined) return { min: request.minMs, max: request.maxMs };
  if (request.minMs !== undefined) return { min: request.minMs, max: Math.max(DEFAULT_MAX_MS, request.minMs) };
  if (request.maxMs !== undefined) return { min: Math.min(DEFAULT_MIN_MS, request.maxMs), max: request.maxMs };
  return { min: DEFAULT_MIN_MS, max: DEFAULT_MAX_MS };
}

/** `modes` as asked; else the local ones for an explicit compare, the lesson's two without a mode; `parallel` is processes. */
function modesOf(request: SimulationRequest): RunMode[] {
  if (request.mode === undefined) return [...(request.modes ?? LESSON_MODES)];
  if (request.mode === 'compare') return [...(request.modes ?? LOCAL_RUN_MODES)];
  return [request.mode === 'parallel' ? 'processes' : request.mode];
}

/** A request with its tasks drawn, scaled and checked: what the engine runs. */
export interface SimulationPlan {
  modes: RunMode[];
  compare: boolean;
  workload: Workload;
  seed: number;
  scale: number;
  tasks: DownloadTask[];
}

export class PlanLimitError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'PlanLimitError';
  }
}

/**
 * Turns a validated request into a plan: the caller's tasks, or `count`
 * random ones, or the lesson's two, drawn from the seed (a new one when none
 * was given, reported so the run can be repeated), then scaled.
 */
export function planSimulation(request: SimulationRequest): SimulationPlan {
  const seed = request.seed ?? newSeed();
  const random = seededRandom(seed);
  const drawn =
    request.tasks ??
    (request.count !== undefined
      ? generateTasks(request.count, durationRange(request).min, durationRange(request).max, random)
      : lessonTasks(random));
  const tasks = scaleTasks(drawn, request.scale);
  const modes = modesOf(request);
  const total = tasks.reduce((sum, task) => sum + task.durationMs, 0);
  if (total > limits.maxTotalMs && (modes.includes('sequential') || request.workload === 'cpu')) {
    throw new PlanLimitError(
      request.tasks ? 'tasks' : 'count',
      `the durations add up to ${total} ms after scaling; with sequential mode or the cpu workload the limit is ${limits.maxTotalMs} ms`,
    );
  }
  return {
    modes,
    compare: request.mode === undefined || request.mode === 'compare',
    workload: request.workload,
    seed,
    scale: request.scale,
    tasks,
  };
}
