import { z } from 'zod';
import type { QueueRunReport } from './run-queue.js';

/*
 * The answer of POST /queue-runs as a zod schema, for the coordinator's
 * OpenAPI document. The type stays in run-queue.ts for now; the checks at the
 * end fail to compile when the two part ways, so a change to either must
 * bring the other along.
 */

const pidSchema = z.number().int().positive();

export const queueTimelineEntrySchema = z
  .strictObject({
    seq: z.number().int().positive(),
    item: z.string(),
    writtenAtMs: z.number(),
    writerPid: pidSchema,
    writerHost: z.string(),
    readStartedAtMs: z.number(),
    readAtMs: z.number(),
    readerPid: pidSchema,
    readerHost: z.string(),
    queuedMs: z.number().meta({ description: 'How long the item waited in the queue before a reader took it.' }),
    deliveryCount: z.number().int().positive().meta({ description: '1 on the first delivery; more means JetStream redelivered it.' }),
  })
  .meta({ id: 'QueueTimelineEntry', description: "One item's trip through the queue, offsets in ms from the start of this attempt." });

export const queueRunReportSchema = z
  .strictObject({
    runId: z.uuid(),
    items: z.number().int().positive(),
    transport: z.enum(['jetstream', 'core']),
    readerStart: z.enum(['concurrent', 'after-writer']),
    writeDelayMs: z.number(),
    readDelayMs: z.number(),
    totalMs: z.number(),
    itemsPerSecond: z.number().meta({ description: 'Items per second from the start of the run to the last read.' }),
    writerPid: pidSchema,
    readerPids: z.array(pidSchema),
    readers: z.array(z.strictObject({ host: z.string(), pid: pidSchema, items: z.number().int().min(0) })),
    redelivered: z.number().int().min(0),
    duplicateReads: z.number().int().min(0),
    alreadyStored: z.number().int().min(0),
    timeline: z.array(queueTimelineEntrySchema),
  })
  .meta({ id: 'QueueRunReport', description: 'A queue run from the first write to the last read.' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameAsTheType: Same<z.infer<typeof queueRunReportSchema>, QueueRunReport> = true;
void sameAsTheType;
