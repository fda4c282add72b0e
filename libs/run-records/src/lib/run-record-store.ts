import type { KV } from '@nats-io/kv';

/** A record larger than the bucket (or the server) takes: refused before it is sent. */
export class RunRecordTooLargeError extends Error {
  constructor(
    readonly key: string,
    readonly bytes: number,
    readonly limitBytes: number,
    limitName: string,
  ) {
    super(`run record ${key} is ${bytes} bytes, over the ${limitName} of ${limitBytes} bytes`);
    this.name = 'RunRecordTooLargeError';
  }
}

/** A record key: `<kind>.<run id>`, e.g. `simulation.6afc1379-…`; KV keys take letters, digits, `-`, `_`, `=` and `.`. */
export function runRecordKey(kind: string, id: string): string {
  const key = `${kind}.${id}`;
  if (!/^[A-Za-z0-9_=-]+(\.[A-Za-z0-9_=-]+)*$/.test(key)) throw new Error(`not a run record key: ${JSON.stringify(key)}`);
  return key;
}

/** A put waiting for its batch to go out. */
interface PendingPut {
  key: string;
  bytes: Uint8Array;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * How long a put waits for others to go out with it. nats.js writes the
 * commands of one turn to the socket in one write; puts sent one by one cost
 * a socket write each (two per run), which under load was the coordinator's
 * largest cost per POST /simulations. A record reaches the bucket this much
 * later; nothing waits for it on a request's path.
 */
export const RUN_RECORD_BATCH_MS = 5;

/** Puts and gets run records as JSON in the bucket: one value per key, the latest only. */
export class RunRecordStore {
  private readonly encoder = new TextEncoder();
  private pending: PendingPut[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly kv: KV,
    private readonly limits: { maxValueBytes: number; maxPayloadBytes: number },
    private readonly batchMs = RUN_RECORD_BATCH_MS,
  ) {}

  /**
   * Stores the record under `key`, replacing the earlier one, together with
   * the other puts of the next few ms (in the order they were made); rejects
   * with RunRecordTooLargeError past the limits, before anything is sent.
   */
  put(key: string, record: unknown): Promise<void> {
    const bytes = this.encoder.encode(JSON.stringify(record));
    if (bytes.length > this.limits.maxValueBytes)
      return Promise.reject(new RunRecordTooLargeError(key, bytes.length, this.limits.maxValueBytes, 'run records bucket limit'));
    if (bytes.length > this.limits.maxPayloadBytes)
      return Promise.reject(new RunRecordTooLargeError(key, bytes.length, this.limits.maxPayloadBytes, "NATS server's max_payload"));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ key, bytes, resolve, reject });
      this.flushTimer ??= setTimeout(() => this.flush(), this.batchMs);
    });
  }

  /** Sends every waiting put in one turn, so they share a socket write. */
  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.flushTimer = undefined;
    for (const put of batch) this.kv.put(put.key, put.bytes).then(() => put.resolve(), put.reject);
  }

  /** The record under `key` as parsed JSON, or undefined if there is none. */
  async get(key: string): Promise<unknown> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return entry.json<unknown>();
  }
}
