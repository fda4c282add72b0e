import { z } from 'zod';

/** Run ids travel in subjects, so they are UUIDs: no dots, no wildcards. */
export const runIdSchema = z.uuid();
const pid = z.number().int().positive();
/** The host name beside a pid: in containers, pids repeat across replicas. */
const host = z.string().min(1).max(255);
const epochMs = z.number().nonnegative();
const sequence = z.number().int().positive();

/** The coordinator's request to a writer. Delays here are already scaled. */
export const writeRequestSchema = z.object({
  runId: runIdSchema,
  items: z.array(z.string().min(1)).min(1),
  writeDelayMs: z.number().int().nonnegative(),
  readDelayMs: z.number().int().nonnegative(),
});
export type WriteRequest = z.infer<typeof writeRequestSchema>;

export const writeReplySchema = z.discriminatedUnion('accepted', [
  z.object({ accepted: z.literal(true), writerPid: pid }),
  z.object({ accepted: z.literal(false), error: z.string() }),
]);
export type WriteReply = z.infer<typeof writeReplySchema>;

/** One item on the queue. */
export const queueItemSchema = z.object({
  runId: runIdSchema,
  seq: sequence,
  total: sequence,
  item: z.string().min(1),
  readDelayMs: z.number().int().nonnegative(),
  writtenAt: epochMs,
  writerPid: pid,
  writerHost: host,
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export const writtenEventSchema = z.object({ runId: runIdSchema, seq: sequence, writtenAt: epochMs, writerPid: pid, duplicate: z.boolean() });
export type WrittenEvent = z.infer<typeof writtenEventSchema>;

export const readEventSchema = queueItemSchema.omit({ total: true, readDelayMs: true }).extend({
  readStartedAt: epochMs,
  readAt: epochMs,
  readerPid: pid,
  readerHost: host,
  /** 1 on the first delivery; more means JetStream redelivered it. */
  deliveryCount: z.number().int().positive(),
});
export type ReadEvent = z.infer<typeof readEventSchema>;

export const writerFinishedEventSchema = z.object({ runId: runIdSchema, written: z.number().int().nonnegative(), writerPid: pid });
export type WriterFinishedEvent = z.infer<typeof writerFinishedEventSchema>;

export const writerFailedEventSchema = writerFinishedEventSchema.extend({ error: z.string() });
export type WriterFailedEvent = z.infer<typeof writerFailedEventSchema>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeMessage(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Parses a message body against its schema; throws on bad JSON or a bad shape. */
export function decodeMessage<Schema extends z.ZodType>(schema: Schema, data: Uint8Array): z.infer<Schema> {
  return schema.parse(JSON.parse(decoder.decode(data)));
}
