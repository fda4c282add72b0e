import { epochNow } from '@concurrency-lab/clock';
import type { Logger } from '@concurrency-lab/logger';
import {
  formatSeqRanges,
  logItems,
  ReadColumnsBuilder,
  readBatchSubject,
  runHeaders,
  type ReadBatch,
  type ReadRecord,
} from '@concurrency-lab/queue';
import type { JetStreamClient } from '@nats-io/jetstream';
import { nuid } from '@nats-io/transport-node';
import type { Context } from '@opentelemetry/api';
import { ReportSpan } from './report-span.js';

/** Reads named in one report at most. */
const MAX_READS_PER_REPORT = 256;
/**
 * Reports of one run in flight at once. While they are, the run's next reads
 * wait in its open report: the quicker the reads, the fuller each report, with
 * no timer to tune and no delay for a read that comes alone.
 */
const REPORTS_IN_FLIGHT_PER_RUN = 2;
/**
 * Size of the encoded reads in one report at most, counted so that each unit
 * is at most 3 bytes on the wire: a report stays under the 1 MiB NATS
 * carries in one message whatever the items hold.
 */
const MAX_REPORT_CHARS = 200_000;

interface OpenReport {
  records: ReadRecord[];
  /** The reads as they go on the wire: in columns, not one JSON object each. */
  columns: ReadColumnsBuilder;
  chars: number;
  /** Run once the report is stored: the acks of the items it names. */
  onStored: (() => void)[];
  /** The traced reads' process spans: the report's publish span joins the run's trace through them. */
  traced?: Context[];
}

export interface ReadReporterOptions {
  js: JetStreamClient;
  logger: Logger;
  readerPid: number;
  readerHost: string;
  /** Reports awaiting their JetStream ack at once. */
  window?: number;
}

/**
 * Reports reads to the events stream, a burst at a time: the reads of one run
 * that happen before the event loop turns (a fetched batch read quickly), or
 * while the run's earlier reports are being stored, go into one message, so a
 * quick run costs a few dozen JetStream writes for its reports rather than one
 * per item. A slow read is a burst of its own, reported at once. Each report is stored before the items it names are
 * acked, so a report lost to a NATS outage leaves its items to be redelivered.
 * A read is logged ("item read") once its report is stored, so every such line
 * is a read the coordinator counts: logs and answer agree.
 */
export class ReadReporter {
  /** Unique per reader process start: with the report number, it makes every report's subject and dedupe id. */
  readonly readerId = nuid.next();
  private reportCount = 0;
  private readonly open = new Map<string, OpenReport>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightByRun = new Map<string, number>();
  private scheduled: NodeJS.Immediate | undefined;
  private readonly window: number;

  constructor(private readonly options: ReadReporterOptions) {
    this.window = options.window ?? 64;
  }

  /**
   * Adds a read to its run's open report; waits while the window of reports in
   * flight is full. Returns a promise only then: no promise per read while there is room.
   */
  add(runId: string, record: ReadRecord, onStored: () => void, traced?: Context): Promise<void> | undefined {
    if (this.inFlight.size >= this.window) return this.addWhenRoom(runId, record, onStored, traced);
    this.addNow(runId, record, onStored, traced);
    return undefined;
  }

  private async addWhenRoom(runId: string, record: ReadRecord, onStored: () => void, traced?: Context): Promise<void> {
    while (this.inFlight.size >= this.window) await Promise.race(this.inFlight);
    this.addNow(runId, record, onStored, traced);
  }

  private addNow(runId: string, record: ReadRecord, onStored: () => void, traced?: Context): void {
    let report = this.open.get(runId);
    if (!report) {
      report = { records: [], columns: new ReadColumnsBuilder(), chars: 0, onStored: [] };
      this.open.set(runId, report);
    }
    report.records.push(record);
    report.chars += report.columns.add(record);
    report.onStored.push(onStored);
    if (traced) (report.traced ??= []).push(traced);
    if (report.records.length >= MAX_READS_PER_REPORT || report.chars >= MAX_REPORT_CHARS) this.send(runId);
    else this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Sends the open reports of every run with room for one more in flight; the others go when theirs land. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    for (const runId of [...this.open.keys()]) {
      if ((this.inFlightByRun.get(runId) ?? 0) < REPORTS_IN_FLIGHT_PER_RUN) this.send(runId);
    }
  }

  /**
   * Reports items handed back unread, and resolves once the report is stored
   * (it must be, before the hand-back): the coordinator then knows their next
   * delivery is no fault's redelivery.
   */
  async handedBack(runId: string, seqs: number[]): Promise<void> {
    const { js, readerPid, readerHost } = this.options;
    const subject = readBatchSubject(runId, this.readerId, ++this.reportCount);
    const report: ReadBatch = { runId, readerPid, readerHost, reads: [], handedBack: seqs };
    await js.publish(subject, JSON.stringify(report), { msgID: subject, headers: runHeaders(runId), timeout: 2_000 });
  }

  /** Sends everything open and waits for every report in flight to be stored or to fail. */
  async settle(): Promise<void> {
    while (this.open.size > 0 || this.inFlight.size > 0) {
      for (const runId of [...this.open.keys()]) this.send(runId);
      await Promise.allSettled(this.inFlight);
    }
  }

  private send(runId: string): void {
    const report = this.open.get(runId);
    if (!report) return;
    this.open.delete(runId);
    const { js, logger, readerPid, readerHost } = this.options;
    const subject = readBatchSubject(runId, this.readerId, ++this.reportCount);
    this.inFlightByRun.set(runId, (this.inFlightByRun.get(runId) ?? 0) + 1);
    const now = epochNow();
    // Encoded by hand around the columns: no JSON.stringify per read.
    const body = `{"runId":${JSON.stringify(runId)},"readerPid":${readerPid},"readerHost":${JSON.stringify(readerHost)},"reads":[],"columns":${report.columns.toJSON()}}`;
    // A report naming a traced read is published in a PRODUCER span of the run's trace; the others in none.
    const span = report.traced && new ReportSpan(runId, subject, report.records.length, report.traced);
    const sending: Promise<void> = js
      .publish(subject, body, { msgID: subject, headers: runHeaders(runId, undefined, span?.context) })
      .then(
        () => {
          const logReads = () =>
            logItems(logger.child({ runId }), report.records, { one: 'item read', many: 'items read' }, (record) => ({
              queuedMs: Math.round(record.readStartedAt - record.writtenAt),
              deliveryCount: record.deliveryCount,
            }));
          // In the report's span, the "item read" lines carry the run's trace id.
          if (span) span.within(logReads);
          else logReads();
          for (const stored of report.onStored) stored();
        },
        (error: unknown) => {
          span?.failed(error);
          // No acks: JetStream redelivers the items, and each redelivery finds out whether this report landed after all
          // (if it did, the items are acked unread; if not, read again and logged then).
          logger.warn(
            {
              err: error,
              runId,
              seqs: formatSeqRanges(report.records.map((record) => record.seq)),
              waitedMs: Math.round(epochNow() - now),
            },
            'reads not confirmed reported; their items will be redelivered',
          );
        },
      )
      .finally(() => {
        span?.end();
        this.inFlight.delete(sending);
        const left = (this.inFlightByRun.get(runId) ?? 1) - 1;
        if (left > 0) this.inFlightByRun.set(runId, left);
        else this.inFlightByRun.delete(runId);
        // Reads that gathered while this report was out go now.
        if (this.open.has(runId)) this.scheduled ??= setImmediate(() => this.flush());
      });
    this.inFlight.add(sending);
  }
}
