import { encodeMessage } from '@concurrency-lab/nats';
import { runHeaders, writerHeartbeatSubject, type WriterHeartbeat } from '@concurrency-lab/queue';
import type { Logger } from '@concurrency-lab/logger';
import type { NatsConnection } from '@nats-io/transport-node';

/** Progress rides on the heartbeat at most this often: if the writer dies, the coordinator knows how far it got. */
const PROGRESS_EVERY_MS = 100;

/** "Still writing run X, N items so far": sent every intervalMs and on progress, until the run's end event is stored. */
export class RunHeartbeat {
  private lastBeat = 0;
  private readonly timer: NodeJS.Timeout;
  private written = 0;
  private stopped = false;

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

  /** Stops beating; `ended`: the run's end event is stored, and a last beat says so. */
  stop({ ended = false } = {}): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    if (ended) this.beat(true);
  }

  private beat(ended = false): void {
    this.lastBeat = Date.now();
    const heartbeat: WriterHeartbeat = { runId: this.runId, written: this.written, writerPid: process.pid, ...(ended ? { ended } : {}) };
    try {
      this.nc.publish(writerHeartbeatSubject(this.runId), encodeMessage(heartbeat), { headers: runHeaders(this.runId) });
    } catch (error) {
      // The connection is closing: the run is ending anyway, and a timer must not throw.
      this.logger.debug({ err: error }, 'heartbeat not sent');
    }
  }
}
