import { transportSchema } from '@concurrency-lab/queue';
import { z } from 'zod';

/*
 * The answer of POST /queue-runs as a zod schema: the one definition of its shape.
 * The types (run-report.ts) are inferred from it, and the coordinator's OpenAPI
 * document is built from it.
 */

const pidSchema = z.number().int().positive();

export const queueTimelineEntrySchema = z
  .strictObject({
    seq: z.number().int().positive(),
    item: z.string(),
    writtenAtMs: z.number(),
    writerPid: pidSchema,
    writerHost: z.string(),
    readStartedAtMs: z.number().meta({ description: 'The counted read: the first one reported.' }),
    readAtMs: z.number(),
    readerPid: pidSchema,
    readerHost: z.string(),
    queuedMs: z.number().meta({ description: 'How long the item waited in the queue before a reader took it.' }),
    deliveryCount: z
      .number()
      .int()
      .positive()
      .meta({ description: 'The delivery the counted read came from: 1 on the first; more means JetStream delivered it again.' }),
    reads: z
      .number()
      .int()
      .positive()
      .meta({ description: 'Times the item was read and reported: 1, or more when a fault made a reader read it again.' }),
    handedBack: z
      .number()
      .int()
      .min(0)
      .meta({ description: 'Times a reader handed the item back unread on purpose (it was stopping): not a redelivery.' }),
  })
  .meta({ id: 'QueueTimelineEntry', description: "One item's trip through the queue, offsets in ms from the start of this attempt." });

export const queueRunReportSchema = z
  .strictObject({
    runId: z.uuid(),
    items: z.number().int().positive(),
    transport: transportSchema,
    readerStart: z.enum(['after-writer', 'concurrent']),
    writeDelayMs: z.number(),
    readDelayMs: z.number(),
    totalMs: z.number(),
    itemsPerSecond: z.number().meta({ description: 'Items per second from the start of the run to the last read, to one decimal.' }),
    writerPid: pidSchema,
    readerPids: z.array(pidSchema),
    readers: z.array(z.strictObject({ host: z.string(), pid: pidSchema, items: z.number().int().min(0) })).meta({
      description: 'Each reader that read an item of the run (its counted read), by host and pid (pids alone repeat across containers).',
    }),
    reads: z.number().int().min(0).meta({ description: 'Reads reported, all items together: at least items (reading is at-least-once).' }),
    readOnce: z.number().int().min(0).meta({ description: 'Items read exactly once.' }),
    readAgain: z.number().int().min(0).meta({ description: 'Items read more than once after a fault; each still counted once.' }),
    duplicateReads: z.number().int().min(0).meta({ description: 'Reads beyond one per item (reads - items).' }),
    redelivered: z.number().int().min(0).meta({
      description:
        'Items whose counted read came from a redelivery after a fault (a reader that stopped answering, a lost ack); hand-backs excluded.',
    }),
    handedBack: z.number().int().min(0).meta({ description: 'Deliveries handed back unread by a reader on purpose (it was stopping).' }),
    alreadyStored: z
      .number()
      .int()
      .min(0)
      .meta({ description: 'Items the writer found already stored by an earlier attempt of this run, so did not store again.' }),
    timeline: z.array(queueTimelineEntrySchema),
  })
  .meta({ id: 'QueueRunReport', description: 'A queue run from the first write to the last read.' });
