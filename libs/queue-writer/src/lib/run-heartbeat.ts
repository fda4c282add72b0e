import { encodeMessage } from '@concurrency-lab/nats';
import { runHeaders, writerHeartbeatSubject, type WriterHeartbeat } from '@concurrency-lab/queue';
import type { Logger } from '@concurrency-lab/logger';
import type { NatsConnection } from '@nats-io/transport-node';

/** Progress rides on the heartbeat at most this often: if the writer dies, the coordinator knows how far it got. */
const PROGRESS_EVERY_MS = 100;

/** "Still writing run X, N items so far": sent every intervalMs, and on progress. */
export class RunHeartbeat {
  private lastBeat = 0;
  private readonly timer: NodeJS.Timeout;
  private written = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly runId: string,
    private readonly logger: Logger,
    intervalMs: number,
  ) {
    this.beat();
    this.timer = setInterval(() => this.beat(), intervalMs);
  }

  progress(written: number): void {
    this.written = written;
    if (Date.now() - this.lastBeat >= PROGRESS_EVERY_MS) this.beat();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    this.lastBeat = Date.now();
    const heartbeat: WriterHeartbeat = { runId: this.runId, written: this.written, writerPid: process.pid };
    try {
      this.nc.publish(writerHeartbeatSubject(this.runId), encodeMessage(heartbeat), { headers: runHeaders(this.runId) });
    } catch (error) {
      // The connection is closing: the run is ending anyway, and a timer must not throw.
      this.logger.debug({ err: error }, 'heartbeat not sent');
    }
  }
}
