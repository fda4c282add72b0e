import type { Transport } from '@concurrency-lab/queue';

/** One item's trip through the queue, offsets in ms from the start of this attempt. */
export interface QueueTimelineEntry {
  seq: number;
  item: string;
  writtenAtMs: number;
  writerPid: number;
  writerHost: string;
  /** The counted read: the first one reported. */
  readStartedAtMs: number;
  readAtMs: number;
  readerPid: number;
  readerHost: string;
  /** How long the item waited in the queue before a reader took it. */
  queuedMs: number;
  /** The delivery the counted read came from: 1 on the first; more means JetStream delivered it again. */
  deliveryCount: number;
  /** Times the item was read and reported: 1, or more when a fault made a reader read it again (at-least-once reading). */
  reads: number;
  /** Times a reader handed the item back unread on purpose (it was stopping): not a fault's redelivery. */
  handedBack: number;
}

/** The answer of POST /queue-runs: one shape, described here only. */
export interface QueueRunReport {
  runId: string;
  items: number;
  transport: Transport;
  readerStart: 'after-writer' | 'concurrent';
  writeDelayMs: number;
  readDelayMs: number;
  totalMs: number;
  /** Items per second from the start of the run to the last read, to one decimal. */
  itemsPerSecond: number;
  writerPid: number;
  readerPids: number[];
  /** Each reader that read an item of the run (its counted read), by host and pid (pids alone repeat across containers). */
  readers: { host: string; pid: number; items: number }[];
  /** Reads reported, all items together: at least `items` (reading is at-least-once). */
  reads: number;
  /** Items read exactly once. */
  readOnce: number;
  /** Items read more than once, after a fault (a reader died after reporting, before acking): counted once all the same. */
  readAgain: number;
  /** Reads beyond one per item (reads - items). */
  duplicateReads: number;
  /** Items whose counted read came from a redelivery after a fault: a reader that stopped answering, or a lost ack. Hand-backs excluded. */
  redelivered: number;
  /** Deliveries handed back unread by a reader on purpose (it was stopping), so delivered again at once. */
  handedBack: number;
  /** Items the writer found already stored by an earlier attempt of this run, so did not store again. */
  alreadyStored: number;
  timeline: QueueTimelineEntry[];
}

export type QueueRunFailure = 'writer-unavailable' | 'writer-failed' | 'timeout' | 'cancelled' | 'too-large';

/** A run that did not finish, with how far it got. */
export class QueueRunError extends Error {
  constructor(
    readonly failure: QueueRunFailure,
    message: string,
    readonly runId: string,
    readonly progress: { written?: number; read: number; items: number },
  ) {
    super(message);
    this.name = 'QueueRunError';
  }
}
