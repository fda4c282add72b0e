import { decodeMessage } from '@concurrency-lab/nats';
import { EVENTS_STREAM, readBatchesFilter, readBatchSchema } from '@concurrency-lab/queue';
import type { JetStreamManager, MsgRequest } from '@nats-io/jetstream';

interface RunReads {
  seqs: Set<number>;
  /** The events stream sequence to look from next: reports before it are already in `seqs`. */
  nextStreamSeq: number;
}

/**
 * Which items of a run some reader has already reported read, looked up in
 * the events stream. Only redeliveries ask (a reader died between reporting
 * and acking, or an ack was lost), so a look-up may cost a few requests; it
 * reads each report once and remembers the last runs it looked at.
 */
export class ReportedReads {
  private readonly runs = new Map<string, RunReads>();

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly maxRuns = 16,
  ) {}

  async has(runId: string, seq: number): Promise<boolean> {
    let run = this.runs.get(runId);
    if (!run) {
      run = { seqs: new Set(), nextStreamSeq: 1 };
      this.runs.set(runId, run);
      if (this.runs.size > this.maxRuns) this.runs.delete(this.runs.keys().next().value as string);
    }
    if (run.seqs.has(seq)) return true;
    // Catch up with the reports stored since the last look, by every reader. The server
    // takes next_by_subj with a wildcard here; nats.js types it on direct gets only.
    for (;;) {
      const request = { seq: run.nextStreamSeq, next_by_subj: readBatchesFilter(runId) } as unknown as MsgRequest;
      const stored = await this.jsm.streams.getMessage(EVENTS_STREAM, request);
      if (!stored) break;
      run.nextStreamSeq = stored.seq + 1;
      try {
        for (const read of decodeMessage(readBatchSchema, stored.data).reads) run.seqs.add(read.seq);
      } catch {
        // A malformed report names no reads the coordinator would count either.
      }
    }
    return run.seqs.has(seq);
  }
}
