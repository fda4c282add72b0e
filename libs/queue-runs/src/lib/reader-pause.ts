import { encodeMessage } from '@concurrency-lab/nats';
import type { Logger } from '@concurrency-lab/logger';
import {
  PULL_EXPIRES_MS,
  QUEUE_STREAM,
  READER_CONSUMER,
  READER_CONTROL_SUBJECT,
  runHeaders,
  type ReaderControl,
} from '@concurrency-lab/queue';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';

/** How often the consumer is asked about open pulls while waiting for them to end. */
const POLL_MS = 100;
/** Consecutive looks with no open pull before the readers count as paused: a pull made just before a reader heard the pause shows up by then. */
const QUIET_LOOKS = 3;

/**
 * Pauses every reader for one run (the lesson's "reader starts after the
 * writer"), and resumes them. Pausing is not done once the readers have heard
 * it: a pull a reader made before stays open on the server until it expires,
 * and an item written meanwhile would be delivered into it. So pause() also
 * waits (bounded) until the readers' consumer shows no open pull.
 */
export class ReaderPause {
  private paused = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly runId: string,
    /** A pause lasts at most this long, even if this coordinator dies before resuming. */
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  async pause(): Promise<void> {
    this.paused = true;
    this.send('pause');
    await this.nc.flush();
    const started = Date.now();
    const quiet = await this.untilNoPullOpen(PULL_EXPIRES_MS + 3_000);
    const waitedMs = Date.now() - started;
    if (quiet) this.logger.info({ waitedMs }, 'readers paused: no pull open');
    else this.logger.warn({ waitedMs }, 'readers paused, but a pull is still open: an item may wait out the ack wait');
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.send('resume');
  }

  private send(command: ReaderControl['command']): void {
    const control: ReaderControl = { command, runId: this.runId, ttlMs: this.ttlMs };
    this.nc.publish(READER_CONTROL_SUBJECT, encodeMessage(control), { headers: runHeaders(this.runId) });
  }

  /** True once the consumer shows no waiting pull request QUIET_LOOKS times in a row; false if that takes longer than timeoutMs. */
  private async untilNoPullOpen(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let quietLooks = 0; Date.now() < deadline; await sleep(POLL_MS)) {
      quietLooks = (await this.openPulls()) === 0 ? quietLooks + 1 : 0;
      if (quietLooks >= QUIET_LOOKS) return true;
    }
    return false;
  }

  private async openPulls(): Promise<number> {
    try {
      return (await this.jsm.consumers.info(QUEUE_STREAM, READER_CONSUMER)).num_waiting;
    } catch {
      return 0; // no consumer yet (no reader ever started): no pull either
    }
  }
}
