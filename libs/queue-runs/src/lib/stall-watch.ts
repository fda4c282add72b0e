import type { Logger } from '@concurrency-lab/logger';
import { formatSeqRanges, QUEUE_STREAM, READER_CONSUMER } from '@concurrency-lab/queue';
import type { JetStreamManager } from '@nats-io/jetstream';

export interface StallWatchOptions {
  jsm: JetStreamManager;
  logger: Logger;
  /** The run's read delay: no read for longer than this (plus a margin) is a stall. */
  readDelayMs: number;
  /** Items of the run not read yet. */
  unread(): number[];
}

/** Margin over the read delay before a quiet run counts as stalled. */
const STALL_MARGIN_MS = 1_000;
const CHECK_EVERY_MS = 500;

/**
 * Says why a run waits, when it does: no read for longer than a read takes,
 * while readers hold items unacked, means a reader stopped answering (it died,
 * or lost its connection); JetStream gives its items to another reader once
 * the ack wait has passed without an in-progress ack. Logged once per stall.
 */
export class StallWatch {
  private lastProgress = Date.now();
  private reported = false;
  private checking = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: StallWatchOptions) {
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
  }

  /** The run moved on (a read, the writer's end): any stall is over. */
  progress(): void {
    if (this.reported) this.options.logger.info({ stalledForMs: Date.now() - this.lastProgress }, 'run reading again');
    this.lastProgress = Date.now();
    this.reported = false;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    const quietForMs = Date.now() - this.lastProgress;
    if (this.reported || this.checking || quietForMs < this.options.readDelayMs + STALL_MARGIN_MS) return;
    this.checking = true;
    try {
      const info = await this.options.jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER);
      const unread = this.options.unread();
      if (info.num_ack_pending === 0 || unread.length === 0 || this.reported) return;
      const ackWaitMs = Math.round((info.config.ack_wait ?? 0) / 1_000_000);
      this.reported = true;
      this.options.logger.warn(
        {
          unread: unread.length,
          seqs: formatSeqRanges(unread),
          heldByReaders: info.num_ack_pending,
          quietForMs,
          ackWaitMs,
          redeliveryExpectedBy: new Date(this.lastProgress + this.options.readDelayMs + ackWaitMs).toISOString(),
        },
        'run waiting on items held by a reader that stopped answering; JetStream redelivers them once the ack wait passes',
      );
    } catch {
      // No consumer info (NATS is down): the reconnect will say more than this could.
    } finally {
      this.checking = false;
    }
  }
}
