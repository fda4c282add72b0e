import { decodeMessage } from '@concurrency-lab/nats';
import { z } from 'zod';
import { expandReadColumns, readColumnsSchema } from './read-columns.js';
import { TRANSPORTS, type Transport } from './subjects.js';

/** Run ids travel in subjects, so they are UUIDs: no dots, no wildcards. */
export const runIdSchema = z.uuid();
const pid = z.number().int().positive();
/** The host name beside a pid: in containers, pids repeat across replicas. */
const host = z.string().min(1).max(255);
const epochMs = z.number().nonnegative();
const sequence = z.number().int().positive();

/** The transports of the TRANSPORTS table, so that a new one is accepted wherever a transport is named. */
export const transportSchema = z.enum(Object.keys(TRANSPORTS) as [Transport, ...Transport[]]);

/** The coordinator's request to a writer. Delays here are already scaled. */
export const writeRequestSchema = z.object({
  runId: runIdSchema,
  items: z.array(z.string().min(1)).min(1),
  writeDelayMs: z.number().int().nonnegative(),
  readDelayMs: z.number().int().nonnegative(),
  transport: transportSchema,
  /** Tells this attempt's end event from an earlier attempt's at the same runId. */
  attempt: z.uuid(),
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

const itemDecoder = new TextDecoder();
/** The last run id the schema accepted: the items of a run all carry the same one, so each is checked once. */
let lastValidRunId = '';

const isCount = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min;
const isEpochMs = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isHost = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 255;
const isRunId = (value: unknown): value is string =>
  typeof value === 'string' && (value === lastValidRunId || runIdSchema.safeParse(value).success);

/**
 * decodeMessage(queueItemSchema, data), without zod on the hot path: a body
 * the quick check accepts is one the schema accepts, and yields the same
 * object (unknown fields dropped); anything else goes through the schema,
 * which throws the same error it always did.
 */
export function decodeQueueItem(data: Uint8Array): QueueItem {
  const value: unknown = JSON.parse(itemDecoder.decode(data));
  if (typeof value !== 'object' || value === null) return queueItemSchema.parse(value);
  const { runId, seq, total, item, readDelayMs, writtenAt, writerPid, writerHost } = value as Record<string, unknown>;
  const quickOk =
    isRunId(runId) &&
    isCount(seq, 1) &&
    isCount(total, 1) &&
    typeof item === 'string' &&
    item.length > 0 &&
    isCount(readDelayMs, 0) &&
    isEpochMs(writtenAt) &&
    isCount(writerPid, 1) &&
    isHost(writerHost);
  if (!quickOk) return queueItemSchema.parse(value);
  lastValidRunId = runId;
  return { runId, seq, total, item, readDelayMs, writtenAt, writerPid, writerHost };
}

/** One item as a reader read it; its reader is named once per batch. */
export const readRecordSchema = queueItemSchema.omit({ runId: true, total: true, readDelayMs: true }).extend({
  readStartedAt: epochMs,
  readAt: epochMs,
  /** 1 on the first delivery; more means JetStream redelivered it. */
  deliveryCount: z.number().int().positive(),
});
export type ReadRecord = z.infer<typeof readRecordSchema>;

/**
 * A reader's report of the items of one run it read in one burst: one stored
 * message per burst rather than per item, so a quick run costs a handful of
 * JetStream writes for its reports instead of one per item. A report may
 * instead name items the reader handed back unread, on purpose (it is shutting
 * down): stored before the hand-back, so their next delivery is not taken for
 * a fault's redelivery. On the wire, readers send their reads as `columns`
 * (read-columns.ts); decoded, a report names them in `reads`, as reports of
 * earlier readers, which carry one object per read, still do.
 */
export const readBatchSchema = z
  .object({
    runId: runIdSchema,
    readerPid: pid,
    readerHost: host,
    reads: z.array(readRecordSchema),
    columns: readColumnsSchema.optional(),
    handedBack: z.array(sequence).optional(),
  })
  .transform(({ columns, ...batch }) => (columns ? { ...batch, reads: [...batch.reads, ...(expandReadColumns(columns) ?? [])] } : batch))
  .refine((batch) => batch.reads.length > 0 || (batch.handedBack?.length ?? 0) > 0, { message: 'names no read and no item handed back' });
export type ReadBatch = z.output<typeof readBatchSchema>;

/** One read with its run and reader: what the coordinator keeps per item. */
export type ReadEvent = ReadRecord & Pick<ReadBatch, 'runId' | 'readerPid' | 'readerHost'>;

export const writerFinishedEventSchema = z.object({
  runId: runIdSchema,
  attempt: z.uuid(),
  written: z.number().int().nonnegative(),
  /** Items JetStream already had from an earlier attempt, so did not store again. */
  duplicates: z.number().int().nonnegative(),
  writerPid: pid,
});
export type WriterFinishedEvent = z.infer<typeof writerFinishedEventSchema>;

export const writerFailedEventSchema = writerFinishedEventSchema.extend({ error: z.string() });
export type WriterFailedEvent = z.infer<typeof writerFailedEventSchema>;

/** "Still writing": while a writer sends these, the coordinator knows it is alive. */
export const writerHeartbeatSchema = z.object({
  runId: runIdSchema,
  written: z.number().int().nonnegative(),
  writerPid: pid,
  /** The last beat: the writer has stored its end event, so its silence from now on means nothing (even while the events stream is out of reach). */
  ended: z.boolean().optional(),
});
export type WriterHeartbeat = z.infer<typeof writerHeartbeatSchema>;

/**
 * Pause or resume every reader. A pause lasts at most ttlMs, so readers can
 * never stay paused by a coordinator that died before resuming them.
 */
export const readerControlSchema = z.object({
  command: z.enum(['pause', 'resume']),
  runId: runIdSchema,
  ttlMs: z.number().int().positive().max(3_600_000),
});
export type ReaderControl = z.infer<typeof readerControlSchema>;

/** One event of a run, as the coordinator folds it into the run's answer. */
export type RunEvent =
  | { kind: 'reads'; batch: ReadBatch }
  | { kind: 'writer-finished'; event: WriterFinishedEvent }
  | { kind: 'writer-failed'; event: WriterFailedEvent };

/**
 * decodeMessage(readBatchSchema, data), without zod per read: a report the
 * quick check accepts is one the schema accepts, and yields the same object;
 * anything else goes through the schema, which throws the same error it always did.
 */
export function decodeReadBatch(data: Uint8Array): ReadBatch {
  const value: unknown = JSON.parse(itemDecoder.decode(data));
  return quickReadBatch(value) ?? readBatchSchema.parse(value);
}

function quickReadBatch(value: unknown): ReadBatch | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { runId, readerPid, readerHost, reads, columns, handedBack } = value as Record<string, unknown>;
  if (!isRunId(runId) || !isCount(readerPid, 1) || !isHost(readerHost) || !Array.isArray(reads)) return undefined;
  if (handedBack !== undefined && !(Array.isArray(handedBack) && handedBack.every((seq) => isCount(seq, 1)))) return undefined;
  const records: ReadRecord[] = new Array(reads.length);
  for (let i = 0; i < reads.length; i++) {
    const record = quickReadRecord(reads[i]);
    if (!record) return undefined;
    records[i] = record;
  }
  if (columns !== undefined) {
    const fromColumns = expandReadColumns(columns);
    if (!fromColumns) return undefined;
    for (const record of fromColumns) records.push(record);
  }
  if (records.length === 0 && !handedBack?.length) return undefined;
  lastValidRunId = runId;
  return { runId, readerPid, readerHost, reads: records, ...(handedBack !== undefined && { handedBack: handedBack as number[] }) };
}

function quickReadRecord(value: unknown): ReadRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { seq, item, writtenAt, writerPid, writerHost, readStartedAt, readAt, deliveryCount } = value as Record<string, unknown>;
  const ok =
    isCount(seq, 1) &&
    typeof item === 'string' &&
    item.length > 0 &&
    isEpochMs(writtenAt) &&
    isCount(writerPid, 1) &&
    isHost(writerHost) &&
    isEpochMs(readStartedAt) &&
    isEpochMs(readAt) &&
    isCount(deliveryCount, 1);
  return ok ? { seq, item, writtenAt, writerPid, writerHost, readStartedAt, readAt, deliveryCount } : undefined;
}

/** Decodes a message of the events stream by the kind its subject names; undefined for a kind this version does not know. Throws on a bad body. */
export function decodeRunEvent(kind: string | undefined, data: Uint8Array): RunEvent | undefined {
  if (kind === 'reads') return { kind, batch: decodeReadBatch(data) };
  if (kind === 'writer-finished') return { kind, event: decodeMessage(writerFinishedEventSchema, data) };
  if (kind === 'writer-failed') return { kind, event: decodeMessage(writerFailedEventSchema, data) };
  return undefined;
}
