import { decodeMessage } from '@concurrency-lab/nats';
import type { Logger } from '@concurrency-lab/logger';
import { writerHeartbeatSchema, writerHeartbeatSubject } from '@concurrency-lab/queue';
import type { NatsConnection, Status, Subscription } from '@nats-io/transport-node';

/**
 * Whether the run's writer is alive: it sends heartbeats (with how many items
 * it has written) while writing; silent for leaseMs, it is taken for dead.
 * While this side is disconnected no heartbeat can arrive, so the lease
 * starts over once it is back.
 */
export class WriterLease {
  private lastHeartbeat = Date.now();
  /** Only a writer that took the run can go silent: until then (readers still pausing, no writer asked yet) nothing lapses. */
  private watching = false;
  private done = false;
  private readonly subscription: Subscription;
  private readonly statuses: AsyncIterable<Status> & { stop(): void };
  private readonly timer: NodeJS.Timeout;

  constructor(
    nc: NatsConnection,
    runId: string,
    leaseMs: number,
    logger: Logger,
    handlers: { progress(written: number): void; lapsed(leaseMs: number): void },
  ) {
    this.subscription = nc.subscribe(writerHeartbeatSubject(runId), {
      callback: (error, message) => {
        if (error) return;
        // Never let a bad message throw out of a NATS callback: it would stall the whole connection.
        try {
          const heartbeat = decodeMessage(writerHeartbeatSchema, message.data);
          handlers.progress(heartbeat.written);
          this.renew();
          // Its end event is stored: the run waits for it on the events stream, not for more beats.
          if (heartbeat.ended) this.writerDone();
        } catch (decodeError) {
          logger.warn({ err: decodeError }, 'malformed writer heartbeat ignored');
        }
      },
    });
    // status() is typed as a plain AsyncIterable, but is a stoppable iterator; stopped with the lease.
    this.statuses = nc.status() as AsyncIterable<Status> & { stop(): void };
    void this.renewOnReconnect();
    this.timer = setInterval(
      () => {
        if (this.watching && !this.done && Date.now() - this.lastHeartbeat > leaseMs) handlers.lapsed(leaseMs);
      },
      Math.min(500, leaseMs / 3),
    );
  }

  renew(): void {
    this.lastHeartbeat = Date.now();
  }

  /** A writer took the run: from now on it must keep sending heartbeats. */
  watch(): void {
    this.renew();
    this.watching = true;
  }

  /** The writer has reported its end: its silence from now on means nothing. */
  writerDone(): void {
    this.done = true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.subscription.unsubscribe();
    this.statuses.stop();
  }

  private async renewOnReconnect(): Promise<void> {
    for await (const status of this.statuses) if (status.type === 'reconnect') this.renew();
  }
}
