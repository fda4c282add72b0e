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

/** Puts and gets run records as JSON in the bucket: one value per key, the latest only. */
export class RunRecordStore {
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly kv: KV,
    private readonly limits: { maxValueBytes: number; maxPayloadBytes: number },
  ) {}

  /** Stores the record under `key`, replacing the earlier one; rejects with RunRecordTooLargeError past the limits. */
  async put(key: string, record: unknown): Promise<void> {
    const bytes = this.encoder.encode(JSON.stringify(record));
    if (bytes.length > this.limits.maxValueBytes)
      throw new RunRecordTooLargeError(key, bytes.length, this.limits.maxValueBytes, 'run records bucket limit');
    if (bytes.length > this.limits.maxPayloadBytes)
      throw new RunRecordTooLargeError(key, bytes.length, this.limits.maxPayloadBytes, "NATS server's max_payload");
    await this.kv.put(key, bytes);
  }

  /** The record under `key` as parsed JSON, or undefined if there is none. */
  async get(key: string): Promise<unknown> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return entry.json<unknown>();
  }
}
