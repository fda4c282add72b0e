import { transportSchema } from '@concurrency-lab/queue';
import { z } from 'zod';

/** The lesson's three items. */
export const LESSON_ITEMS = ['python introduction', 'av.avi', 'java introduction'] as const;

/** Every size, count and duration a caller of POST /queue-runs controls. */
export const QUEUE_RUN_LIMITS = {
  maxItems: 10_000,
  maxItemLength: 1_024,
  maxDelayMs: 60_000,
  minScale: 0.001,
  maxScale: 10,
  /** items x the longer delay, after scaling: a rough bound on how long a run takes. */
  maxEstimatedMs: 300_000,
  /** Queue runs one coordinator follows at once (each holds a consumer, timers and a request); more get 429. */
  maxRunsInFlight: 8,
} as const;

const limits = QUEUE_RUN_LIMITS;
const delay = (fallback: number) =>
  z
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must not be negative')
    .max(limits.maxDelayMs, `must be at most ${limits.maxDelayMs}`)
    .default(fallback);

/** The body of POST /queue-runs. */
export const queueRunRequestSchema = z
  .object({
    items: z
      .array(
        z
          .string({ error: 'must be a string' })
          .min(1, 'must not be empty')
          .max(limits.maxItemLength, `must be at most ${limits.maxItemLength} characters`),
        { error: 'must be an array of strings' },
      )
      .min(1, 'must hold at least one item')
      .max(limits.maxItems, `must hold at most ${limits.maxItems} items`)
      .default([...LESSON_ITEMS]),
    writeDelayMs: delay(3_000),
    readDelayMs: delay(3_000),
    scale: z
      .number({ error: 'must be a number' })
      .min(limits.minScale, `must be from ${limits.minScale} to ${limits.maxScale}`)
      .max(limits.maxScale, `must be from ${limits.minScale} to ${limits.maxScale}`)
      .default(1),
    /** jetstream: durable, acked, redelivered; core: a plain queue group, fire and forget. */
    transport: z.enum(transportSchema.options, { error: `must be ${transportSchema.options.join(' or ')}` }).default('jetstream'),
    /** after-writer (the lesson's order): readers paused until every item is written; concurrent: readers read while the writer writes. */
    readerStart: z.enum(['after-writer', 'concurrent'], { error: 'must be after-writer or concurrent' }).default('after-writer'),
    /** Retry a failed run: the same body with its runId. Items the first attempt stored are not stored again. */
    // Lower case: run ids go into subjects and history keys, where "ABC…" and "abc…" must be the same run.
    runId: z
      .uuid({ error: 'must be the runId of an earlier run (a UUID)' })
      .transform((id) => id.toLowerCase())
      .optional(),
  })
  .strict()
  .superRefine((request, context) => {
    const estimate = request.items.length * Math.max(request.writeDelayMs, request.readDelayMs) * request.scale;
    if (estimate > limits.maxEstimatedMs) {
      context.addIssue({
        code: 'custom',
        path: ['items'],
        message: `would take about ${Math.round(estimate)} ms (items x the longer delay x scale); the limit is ${limits.maxEstimatedMs} ms`,
      });
    }
  });
export type QueueRunRequest = z.infer<typeof queueRunRequestSchema>;
