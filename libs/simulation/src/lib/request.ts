import { z } from 'zod';
import { SIMULATION_LIMITS as limits } from './limits.js';
import { lessonTasks, scaleTasks, type DownloadTask } from './tasks.js';

export const SIMULATION_MODES = ['sequential', 'parallel', 'compare'] as const;
export type SimulationMode = (typeof SIMULATION_MODES)[number];

const taskSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(limits.maxNameLength, `must be at most ${limits.maxNameLength} characters`),
    durationMs: z
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(0, 'must not be negative')
      .max(limits.maxTaskMs, `must be at most ${limits.maxTaskMs}`),
  })
  .strict();

/** The body of POST /simulations. */
export const simulationRequestSchema = z
  .object({
    mode: z.enum(SIMULATION_MODES, { error: `must be one of ${SIMULATION_MODES.join(', ')}` }).default('compare'),
    tasks: z
      .array(taskSchema, { error: 'must be an array of { name, durationMs }' })
      .min(1, 'must hold at least one task')
      .max(limits.maxTasks, `must hold at most ${limits.maxTasks} tasks`)
      .optional(),
    scale: z
      .number({ error: 'must be a number' })
      .min(limits.minScale, `must be from ${limits.minScale} to ${limits.maxScale}`)
      .max(limits.maxScale, `must be from ${limits.minScale} to ${limits.maxScale}`)
      .default(1),
  })
  .strict()
  .superRefine((request, context) => {
    if (!request.tasks) return;
    const scaled = scaleTasks(request.tasks, request.scale);
    const longest = scaled.findIndex((task) => task.durationMs > limits.maxTaskMs);
    if (longest >= 0) {
      context.addIssue({ code: 'custom', path: ['scale'], message: `makes tasks[${longest}] longer than ${limits.maxTaskMs} ms` });
    }
    const total = scaled.reduce((sum, task) => sum + task.durationMs, 0);
    if (total > limits.maxTotalMs) {
      context.addIssue({
        code: 'custom',
        path: ['tasks'],
        message: `add up to ${total} ms after scaling; the limit is ${limits.maxTotalMs} ms`,
      });
    }
  });

export type SimulationRequest = z.infer<typeof simulationRequestSchema>;

/** The tasks a request runs: its own, or the lesson's two random downloads; scaled. */
export function tasksFor(request: SimulationRequest, random: () => number = Math.random): DownloadTask[] {
  return scaleTasks(request.tasks ?? lessonTasks(random), request.scale);
}
