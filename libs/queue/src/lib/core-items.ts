import { runIdSchema, type QueueItem } from './messages.js';
import { CORE_ITEM_SUBJECT_ROOT } from './subjects.js';

/**
 * The core transport's items on the wire, with no JSON per item: the subject
 * names the run and the seq (`lab.core.items.<runId>.<seq>`), and the payload
 * is a small fixed head, the writer's host and the item's own bytes:
 *
 *   byte 0      format version (1)
 *   bytes 1-4   total, u32 little-endian
 *   bytes 5-8   readDelayMs, u32
 *   bytes 9-12  writerPid, u32
 *   bytes 13-20 writtenAt, f64
 *   bytes 21-22 length in bytes of the writer's host, u16
 *   then the host and the item, UTF-8
 *
 * Checked as cheaply as the JSON items were by their schema: the same fields,
 * the same bounds (a run id that is a UUID, counts from 1, a host of 1 to 255
 * characters, a non-empty item), and UTF-8 that decodes.
 */
const FORMAT_VERSION = 1;
const HEAD_BYTES = 23;
const MAX_HOST_CHARS = 255;
const SUBJECT_PREFIX = `${CORE_ITEM_SUBJECT_ROOT}.`;
const UINT32_LIMIT = 2 ** 32;

/** The subject of one core item: its run, then its seq. */
export function coreItemSubject(runId: string, seq: number): string {
  return `${SUBJECT_PREFIX}${runId}.${seq}`;
}

/** Encodes one core item's payload. Throws (as the schema would) on a number the head cannot carry. */
export function encodeCoreItem(item: QueueItem): Uint8Array {
  const host = hostBytes(item.writerHost);
  const itemBytes = Buffer.byteLength(item.item, 'utf8');
  // allocUnsafe takes small buffers from Node's pool: no allocation of its own per item.
  const payload = Buffer.allocUnsafe(HEAD_BYTES + host.length + itemBytes);
  payload[0] = FORMAT_VERSION;
  payload.writeUInt32LE(item.total, 1);
  payload.writeUInt32LE(item.readDelayMs, 5);
  payload.writeUInt32LE(item.writerPid, 9);
  payload.writeDoubleLE(item.writtenAt, 13);
  payload.writeUInt16LE(host.length, 21);
  payload.set(host, HEAD_BYTES);
  payload.write(item.item, HEAD_BYTES + host.length, 'utf8');
  return payload;
}

let lastHost = '';
let lastHostBytes = Buffer.alloc(0);
/** A writer's host is the same for every item: encoded once. */
function hostBytes(host: string): Buffer {
  if (host !== lastHost) {
    lastHostBytes = Buffer.from(host, 'utf8');
    lastHost = host;
  }
  return lastHostBytes;
}

/** A message on a core item subject that is not an item: what is wrong with it, for the log. */
export class MalformedCoreItemError extends Error {
  override readonly name = 'MalformedCoreItemError';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** The run ids and host already checked: a run's items all carry the same ones. */
let lastValidRunId = '';
let lastDecodedHost = '';
let lastDecodedHostBytes = new Uint8Array(0);
/** Scratch space for reading the f64 from a payload at any offset (a Float64Array view needs alignment). */
const scratch = new Float64Array(1);
const scratchBytes = new Uint8Array(scratch.buffer);

const u32At = (data: Uint8Array, at: number): number =>
  ((data[at] as number) | ((data[at + 1] as number) << 8) | ((data[at + 2] as number) << 16)) + (data[at + 3] as number) * 2 ** 24;

/** The item a core message carries; throws MalformedCoreItemError, never anything else, when the subject or payload is not one. */
export function decodeCoreItem(subject: string, data: Uint8Array): QueueItem {
  const { runId, seq } = runAndSeqOf(subject);
  if (data.length < HEAD_BYTES || data[0] !== FORMAT_VERSION) {
    throw new MalformedCoreItemError(
      `not a core item of format ${FORMAT_VERSION} (${data.length} bytes, format byte ${data[0] ?? 'none'})`,
    );
  }
  const total = u32At(data, 1);
  const writerPid = u32At(data, 9);
  for (let i = 0; i < 8; i++) scratchBytes[i] = data[13 + i] as number;
  const writtenAt = scratch[0] as number;
  const hostEnd = HEAD_BYTES + ((data[21] as number) | ((data[22] as number) << 8));
  if (total < 1 || writerPid < 1 || !(writtenAt >= 0 && writtenAt < Infinity) || hostEnd === HEAD_BYTES || hostEnd >= data.length) {
    throw new MalformedCoreItemError(
      `core item ${seq}: a bad head (total ${total}, writerPid ${writerPid}, writtenAt ${writtenAt}), no host or no item after it`,
    );
  }
  const writerHost = hostAt(data, hostEnd);
  const item = decodeUtf8(data, hostEnd, data.length);
  return { runId, seq, total, item, readDelayMs: u32At(data, 5), writtenAt, writerPid, writerHost };
}

function runAndSeqOf(subject: string): { runId: string; seq: number } {
  const lastDot = subject.lastIndexOf('.');
  const runId = subject.slice(SUBJECT_PREFIX.length, lastDot);
  const seq = Number(subject.slice(lastDot + 1));
  const runOk = subject.startsWith(SUBJECT_PREFIX) && (runId === lastValidRunId || runIdSchema.safeParse(runId).success);
  if (!runOk || !Number.isSafeInteger(seq) || seq < 1 || seq >= UINT32_LIMIT) {
    throw new MalformedCoreItemError(`not a core item subject (${SUBJECT_PREFIX}<runId>.<seq>): ${subject}`);
  }
  lastValidRunId = runId;
  return { runId, seq };
}

function hostAt(data: Uint8Array, hostEnd: number): string {
  const length = hostEnd - HEAD_BYTES;
  if (length === lastDecodedHostBytes.length && sameBytes(data, HEAD_BYTES, lastDecodedHostBytes)) return lastDecodedHost;
  const host = decodeUtf8(data, HEAD_BYTES, hostEnd);
  if (host.length > MAX_HOST_CHARS)
    throw new MalformedCoreItemError(`core item: a writer host of ${host.length} characters (at most ${MAX_HOST_CHARS})`);
  lastDecodedHostBytes = data.slice(HEAD_BYTES, hostEnd);
  lastDecodedHost = host;
  return host;
}

function sameBytes(data: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (data[at + i] !== expected[i]) return false;
  return true;
}

function decodeUtf8(data: Uint8Array, start: number, end: number): string {
  try {
    return utf8.decode(data.subarray(start, end));
  } catch {
    throw new MalformedCoreItemError(`core item: bytes ${start}-${end} are not UTF-8`);
  }
}
