import type { ReadBatch, ReadRecord, RunEvent, Transport } from '@concurrency-lab/queue';
import type { QueueRunReport, QueueTimelineEntry } from './run-report.js';

/** What the report says about the run that the events do not: set by the coordinator when the run starts. */
export interface RunDescription {
  runId: string;
  transport: Transport;
  readerStart: QueueRunReport['readerStart'];
  writeDelayMs: number;
  readDelayMs: number;
  writerPid: number;
}

const round = (value: number) => Math.round(value * 10) / 10;
const increment = (counts: Map<number, number>, seq: number) => counts.set(seq, (counts.get(seq) ?? 0) + 1);

type Reader = Pick<ReadBatch, 'runId' | 'readerPid' | 'readerHost'>;

/**
 * Folds a run's events into its report, with no NATS and no clock: every
 * read reported counts (at-least-once reading), every item counts once (by
 * its seq: counting is exactly-once), and only this attempt's writer events
 * end the run (a retried run replays its earlier attempts' events too).
 */
export class RunCollector {
  /**
   * The first read reported for each item (the one the timeline shows) and its
   * reader, by seq: arrays sized once for the run, no map or object per read.
   */
  private readonly firstRead: (ReadRecord | undefined)[];
  private readonly firstReader: (Reader | undefined)[];
  private readonly readsBySeq: Uint32Array;
  private counted = 0;
  private readonly handedBackBySeq = new Map<number, number>();
  written = 0;
  alreadyStored = 0;
  writerDone = false;
  /** Set when this attempt's writer reported failing: its own count of items written is then exact. */
  writerFailure: string | undefined;

  constructor(
    readonly total: number,
    private readonly attempt: string,
  ) {
    this.firstRead = new Array<ReadRecord | undefined>(total + 1).fill(undefined);
    this.firstReader = new Array<Reader | undefined>(total + 1).fill(undefined);
    this.readsBySeq = new Uint32Array(total + 1);
  }

  get readCount(): number {
    return this.counted;
  }

  get allRead(): boolean {
    return this.counted === this.total;
  }

  apply(event: RunEvent): void {
    if (event.kind === 'reads') return this.addReads(event.batch);
    if (event.event.attempt !== this.attempt) return; // an earlier attempt's ending
    this.written = event.event.written;
    if (event.kind === 'writer-finished') {
      this.writerDone = true;
      this.alreadyStored = event.event.duplicates;
    } else {
      this.writerFailure = event.event.error;
    }
  }

  /** A writer's heartbeat: how many items it has written so far. */
  writerProgress(written: number): void {
    this.written = Math.max(this.written, written);
  }

  /** Items not read yet, in order. */
  unreadSeqs(): number[] {
    const unread: number[] = [];
    for (let seq = 1; seq <= this.total; seq++) if (this.firstRead[seq] === undefined) unread.push(seq);
    return unread;
  }

  report(run: RunDescription, startedAt: number, endedAt: number): QueueRunReport {
    const totalMs = round(endedAt - startedAt);
    const timeline: QueueTimelineEntry[] = [];
    for (let seq = 1; seq <= this.total; seq++) {
      const read = this.firstRead[seq];
      if (read) timeline.push(this.entryOf(read, this.firstReader[seq] as Reader, startedAt));
    }
    const reads = timeline.reduce((sum, entry) => sum + entry.reads, 0);
    return {
      runId: run.runId,
      items: this.total,
      transport: run.transport,
      readerStart: run.readerStart,
      writeDelayMs: run.writeDelayMs,
      readDelayMs: run.readDelayMs,
      totalMs,
      itemsPerSecond: totalMs > 0 ? round((this.total / totalMs) * 1000) : 0,
      writerPid: run.writerPid,
      readerPids: [...new Set(timeline.map((entry) => entry.readerPid))],
      readers: readersOf(timeline),
      reads,
      readOnce: timeline.filter((entry) => entry.reads === 1).length,
      readAgain: timeline.filter((entry) => entry.reads > 1).length,
      duplicateReads: reads - timeline.length,
      redelivered: timeline.filter((entry) => entry.deliveryCount > 1 + entry.handedBack).length,
      handedBack: [...this.handedBackBySeq.values()].reduce((sum, count) => sum + count, 0),
      alreadyStored: this.alreadyStored,
      timeline,
    };
  }

  private addReads(batch: ReadBatch): void {
    const { reads: records, handedBack = [] } = batch;
    for (const record of records) {
      const { seq } = record;
      if (seq > this.total) continue; // not an item of this run: it cannot count towards its end
      this.readsBySeq[seq] = (this.readsBySeq[seq] as number) + 1;
      if (this.firstRead[seq] !== undefined) continue;
      this.firstRead[seq] = record;
      this.firstReader[seq] = batch;
      this.counted++;
    }
    for (const seq of handedBack) if (seq <= this.total) increment(this.handedBackBySeq, seq);
  }

  private entryOf(read: ReadRecord, reader: Reader, startedAt: number): QueueTimelineEntry {
    return {
      seq: read.seq,
      item: read.item,
      writtenAtMs: round(read.writtenAt - startedAt),
      writerPid: read.writerPid,
      writerHost: read.writerHost,
      readStartedAtMs: round(read.readStartedAt - startedAt),
      readAtMs: round(read.readAt - startedAt),
      readerPid: reader.readerPid,
      readerHost: reader.readerHost,
      queuedMs: round(read.readStartedAt - read.writtenAt),
      deliveryCount: read.deliveryCount,
      reads: this.readsBySeq[read.seq] || 1,
      handedBack: this.handedBackBySeq.get(read.seq) ?? 0,
    };
  }
}

/** Items per reader (its counted reads), by host and pid, in order of first appearance. */
function readersOf(timeline: QueueTimelineEntry[]): QueueRunReport['readers'] {
  const readers = new Map<string, { host: string; pid: number; items: number }>();
  for (const entry of timeline) {
    const key = `${entry.readerHost}:${entry.readerPid}`;
    const reader = readers.get(key) ?? { host: entry.readerHost, pid: entry.readerPid, items: 0 };
    reader.items++;
    readers.set(key, reader);
  }
  return [...readers.values()];
}
