import type { Logger } from '@concurrency-lab/logger';
import {
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { RunRecordStore } from './run-record-store.js';

/** The KV bucket of run records, and the stream JetStream keeps it in. */
export const RUN_RECORDS_BUCKET = 'lab-runs';
export const RUN_RECORDS_STREAM = `KV_${RUN_RECORDS_BUCKET}`;

const MiB = 1024 * 1024;

export interface RunRecordLimits {
  /**
   * One record at most. The largest report a run can produce under the API's
   * limits is about 5.2 MB (a queue run of 10,000 items filling the 1.5 MB
   * body, with 64-character host names; a simulation comparing every mode
   * over 1000 tasks with 200-character names is about 3.6 MB), so 6 MiB. The
   * server's max_payload (deploy/nats/nats.conf: 8 MB) must be above it.
   */
  maxValueBytes: number;
  /** The bucket at most; past it the oldest records go first (discard old), so new runs are always recorded. */
  maxBytes: number;
  /** How long a record is kept. */
  maxAgeMs: number;
}

export const RUN_RECORD_LIMITS: RunRecordLimits = { maxValueBytes: 6 * MiB, maxBytes: 256 * MiB, maxAgeMs: 24 * 60 * 60 * 1000 };

/**
 * The bucket's stream as a KV bucket of history 1 (the latest record of each
 * run), with direct gets so any server of a cluster can answer a read.
 * Discard old rather than KV's usual discard new: a full bucket drops its
 * oldest records instead of refusing the newest run's.
 */
export function runRecordsStreamConfig(limits: RunRecordLimits, replicas: number): StreamConfig {
  return {
    name: RUN_RECORDS_STREAM,
    subjects: [`$KV.${RUN_RECORDS_BUCKET}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_msgs_per_subject: 1,
    max_msg_size: limits.maxValueBytes,
    max_bytes: limits.maxBytes,
    max_age: nanos(limits.maxAgeMs),
    num_replicas: replicas,
    allow_rollup_hdrs: true,
    deny_delete: true,
    deny_purge: false,
    allow_direct: true,
    mirror_direct: false,
  } as StreamConfig;
}

/** The settings that matter, for saying which differ on a bucket made by another version. */
const CHECKED = ['max_msg_size', 'max_bytes', 'max_age', 'num_replicas', 'max_msgs_per_subject', 'discard'] as const;

/**
 * Creates the bucket (or finds it) and opens it. The coordinator may create
 * and look at the bucket's stream, not change it: a bucket made with other
 * limits is used as it is, and the difference logged.
 */
export async function openRunRecords(
  nc: NatsConnection,
  options: {
    logger: Logger;
    /** NATS_REPLICAS: 1 on one server, 3 on a three-node cluster. */
    replicas?: number;
    limits?: RunRecordLimits;
    /** How long a put or get waits for JetStream (nats.js's default: 5 s). */
    timeoutMs?: number;
  },
): Promise<RunRecordStore> {
  const limits = options.limits ?? RUN_RECORD_LIMITS;
  const timeout = options.timeoutMs ?? 5_000;
  const wanted = runRecordsStreamConfig(limits, options.replicas ?? 1);
  const jsm = await jetstreamManager(nc, { timeout });
  let info: StreamInfo;
  try {
    info = await jsm.streams.add(wanted);
  } catch {
    // Exists with other settings: say which, and use it.
    info = await jsm.streams.info(RUN_RECORDS_STREAM);
    const differ = CHECKED.filter((key) => info.config[key] !== wanted[key]).map(
      (key) => `${key} ${String(info.config[key])} (wanted ${String(wanted[key])})`,
    );
    options.logger.warn({ bucket: RUN_RECORDS_BUCKET, differ }, 'run records bucket has other limits than this version; using it as it is');
  }
  const kv = await new Kvm(jetstream(nc, { timeout })).open(RUN_RECORDS_BUCKET, { allow_direct: info.config.allow_direct ?? false });
  const maxValueBytes = Math.min(info.config.max_msg_size > 0 ? info.config.max_msg_size : Infinity, limits.maxValueBytes);
  return new RunRecordStore(kv, { maxValueBytes, maxPayloadBytes: nc.info?.max_payload ?? Infinity });
}
