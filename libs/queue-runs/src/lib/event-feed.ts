import type { Logger } from '@concurrency-lab/logger';
import { EVENTS_STREAM } from '@concurrency-lab/queue';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection, Status } from '@nats-io/transport-node';

/** The consumer's idle heartbeat: JetStream sends one this often while a pull waits. */
const HEARTBEAT_MS = 1_000;
/** Heartbeats missed in a row before the feed gives up on its consumer and makes another. */
const MISSED_HEARTBEATS_TO_REPLACE = 2;

/**
 * A run's events, in order, from an ordered consumer on the events stream;
 * replaced by a new one, from the event after the last seen, when its
 * heartbeats stop. An ordered consumer is one copy in one server's memory:
 * nats.js recreates it after a NATS restart, but when the cluster node that
 * holds it is killed, nats.js waits for it without end (it asks the dead
 * consumer for its state, which no node answers). Replacing it here keeps a
 * run going on the surviving nodes. After a reconnect (this connection's node
 * was the one lost) the consumer is replaced at once: nats.js's own reset of
 * it can wait without end while the events stream elects a new leader.
 */
export class EventFeed implements AsyncIterable<JsMsg> {
  private current: ConsumerMessages | undefined;
  private stopped = false;
  /** Set when the heartbeat watch stopped the current consumer to replace it. */
  private replacing = false;
  private lastSeq = 0;
  private readonly statuses: AsyncIterable<Status> & { stop(): void };

  constructor(
    private readonly js: JetStreamClient,
    nc: NatsConnection,
    private readonly filter: string,
    private readonly logger: Logger,
  ) {
    // status() is typed as a plain AsyncIterable, but is a stoppable iterator; stopped with the feed.
    this.statuses = nc.status() as AsyncIterable<Status> & { stop(): void };
  }

  /** Opens the first consumer: from the start of the stream, before anything of the run can happen. */
  async open(): Promise<this> {
    this.current = await this.consume();
    void this.replaceOnReconnect();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.statuses.stop();
    this.current?.stop();
  }

  private async replaceOnReconnect(): Promise<void> {
    for await (const status of this.statuses) {
      if (status.type !== 'reconnect' || this.stopped) continue;
      this.logger.warn({ afterSeq: this.lastSeq }, 'run events: NATS reconnected, perhaps to another node; replacing the consumer');
      this.replace();
    }
  }

  private replace(): void {
    this.replacing = true;
    this.current?.stop();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<JsMsg> {
    while (!this.stopped && this.current) {
      const messages = this.current;
      this.replacing = false;
      void this.watchHeartbeats(messages, performance.now());
      for await (const message of messages) {
        this.lastSeq = message.seq;
        yield message;
      }
      if (this.stopped || !this.replacing) return;
      this.current = await this.consumeAgain();
    }
  }

  private async consume(): Promise<ConsumerMessages> {
    // One filter subject, not a list: JetStream then names it in the create request's subject, which the coordinator's NATS user is limited to.
    const startAfter = this.lastSeq > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.lastSeq + 1 } : {};
    const consumer = await this.js.consumers.get(EVENTS_STREAM, { filter_subjects: this.filter, ...startAfter });
    // Short heartbeats: a lost consumer shows within seconds.
    return consumer.consume({ idle_heartbeat: HEARTBEAT_MS, expires: 10_000 });
  }

  /** A new consumer, retried while the cluster elects leaders (each attempt waits for JetStream's answer). */
  private async consumeAgain(): Promise<ConsumerMessages | undefined> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        const messages = await this.consume();
        this.logger.info({ afterSeq: this.lastSeq, attempt }, 'following the run events again on a new consumer');
        return messages;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn({ attempt, reason }, 'run events: no new consumer yet (waiting for the events stream to answer); retrying');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    return undefined;
  }

  /**
   * Stops `messages` (and says it is replacing them) once their heartbeats stop coming.
   * nats.js pulls only once the messages are read, but counts missed heartbeats from
   * `consume()`: a run that opened its feed, then paused the readers for a few seconds,
   * would see misses that are only that wait. So misses count from the first read on;
   * a real loss goes on being reported every heartbeat.
   */
  private async watchHeartbeats(messages: ConsumerMessages, readingSince: number): Promise<void> {
    for await (const status of messages.status()) {
      const readLongEnough = performance.now() - readingSince >= MISSED_HEARTBEATS_TO_REPLACE * HEARTBEAT_MS;
      if (status.type === 'heartbeats_missed' && status.count >= MISSED_HEARTBEATS_TO_REPLACE && readLongEnough) {
        this.logger.warn(
          { missedHeartbeats: status.count, afterSeq: this.lastSeq },
          'run events stopped coming (the NATS node holding their consumer may be down); replacing the consumer',
        );
        this.replace();
        return;
      }
    }
  }
}
