import type { Logger } from '@concurrency-lab/logger';
import { RUN_STATES, type RunArchive, type RunOwner, type StoredRun } from '@concurrency-lab/runs';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { runRecordKey, type RunRecordStore } from './run-record-store.js';

/** The records could not be read (NATS down, say): not the same as "no such run". */
export class RunRecordsUnavailableError extends Error {
  constructor(key: string, cause: unknown) {
    super(`run record ${key} could not be read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'RunRecordsUnavailableError';
  }
}

/** This process as the writer of its records: a new instance id at every start. */
export function thisProcessAsOwner(): RunOwner {
  return { instance: randomUUID(), host: hostname(), pid: process.pid };
}

/** What a kind of run needs to keep its records: the bucket, and who this process is. */
export interface RunRecordsHandle {
  store: RunRecordStore;
  owner: RunOwner;
}

/** Who wrote a record, as views of a run from its record show it. */
export const runOwnerSchema = z
  .strictObject({
    instance: z.string().meta({ description: 'A random id of the coordinator process, new at each start.' }),
    host: z.string(),
    pid: z.number().int().positive(),
  })
  .meta({
    id: 'RunOwner',
    description:
      'The coordinator process that ran the run and wrote its record. A running record whose coordinator has gone ' +
      "(stopped or restarted: a restarted one is another instance) stays running until the record's age limit.",
  });

export interface RunRecordArchiveOptions<Input, Result> {
  store: RunRecordStore;
  /** The first part of each key: `simulation`, `queue`. */
  kind: string;
  /** How a record's input and result are read back: the schemas of the kind that owns them. */
  input: z.ZodType<Input>;
  result: z.ZodType<Result>;
  logger: Logger;
  owner: RunOwner;
  /** After this long a write still waiting for JetStream is logged, once (default 1 s). */
  slowWriteMs?: number;
}

/**
 * A registry's archive in the run records bucket: each record is JSON with
 * the run's state, times, owner, input and result. A write that fails is
 * logged with what was lost and never fails the run.
 */
export function runRecordArchive<Input, Result>(options: RunRecordArchiveOptions<Input, Result>): RunArchive<Input, Result> {
  const { store, kind, logger, owner, slowWriteMs = 1_000 } = options;
  const recordSchema = z.strictObject({
    kind: z.literal(kind),
    id: z.string(),
    state: z.enum(RUN_STATES),
    createdAt: z.iso.datetime(),
    endedAt: z.iso.datetime().optional(),
    owner: runOwnerSchema,
    input: options.input,
    result: options.result.optional(),
    error: z.string().optional(),
  });
  return {
    async save(run) {
      const key = runRecordKey(kind, run.id);
      const about = { runId: run.id, record: key, state: run.state };
      const started = Date.now();
      const slow = setTimeout(
        () => logger.warn({ ...about, waitedMs: Date.now() - started }, 'run record waits for JetStream to store it (is NATS down?)'),
        slowWriteMs,
      );
      try {
        await store.put(key, {
          kind,
          id: run.id,
          state: run.state,
          createdAt: run.createdAt.toISOString(),
          ...(run.endedAt ? { endedAt: run.endedAt.toISOString() } : {}),
          owner,
          input: run.input,
          ...(run.result === undefined ? {} : { result: run.result }),
          ...(run.errorMessage === undefined ? {} : { error: run.errorMessage }),
        });
      } catch (error) {
        logger.error(
          { ...about, err: error },
          `run record not stored: its ${run.state} record is lost from the bucket (another coordinator, or this one after a restart, ` +
            'will not find it, or will find an earlier one); this coordinator answers the run from memory while it keeps it',
        );
      } finally {
        clearTimeout(slow);
      }
    },
    async load(id) {
      const key = runRecordKey(kind, id);
      let raw: unknown;
      try {
        raw = await store.get(key);
      } catch (error) {
        throw new RunRecordsUnavailableError(key, error);
      }
      if (raw === undefined) return undefined;
      const parsed = recordSchema.safeParse(raw);
      if (!parsed.success) {
        logger.warn(
          { runId: id, record: key, issues: parsed.error.issues.slice(0, 3) },
          'run record unreadable (another version?); ignored',
        );
        return undefined;
      }
      return storedRunOf(parsed.data as RecordShape<Input, Result>);
    },
  };
}

interface RecordShape<Input, Result> {
  id: string;
  state: StoredRun<Input, Result>['state'];
  createdAt: string;
  endedAt?: string | undefined;
  owner: RunOwner;
  input: Input;
  result?: Result | undefined;
  error?: string | undefined;
}

function storedRunOf<Input, Result>(record: RecordShape<Input, Result>): StoredRun<Input, Result> {
  return {
    id: record.id,
    input: record.input,
    createdAt: new Date(record.createdAt),
    state: record.state,
    ...(record.endedAt ? { endedAt: new Date(record.endedAt) } : {}),
    ...(record.result === undefined ? {} : { result: record.result }),
    ...(record.error === undefined ? {} : { errorMessage: record.error }),
    owner: record.owner,
  };
}
