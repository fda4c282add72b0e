import type { Logger } from '@concurrency-lab/logger';
import { itemMessageId, TRANSPORTS, type ReaderObserver, type ReadRecord } from '@concurrency-lab/queue';
import type { Context } from '@opentelemetry/api';
import type { Delivery } from './item-source.js';
import { inProcessSpan } from './process-span.js';
import type { ReadReporter } from './read-reports.js';
import { readItem } from './read-item.js';
import { RecentKeys } from './recent-keys.js';
import type { ReportedReads } from './reported-reads.js';

export interface DeliveryHandlerOptions {
  reporter: ReadReporter;
  reported: ReportedReads;
  logger: Logger;
  /** Aborted when the reader stops: reads in progress are cut short and their items handed back. */
  stopping: AbortSignal;
  observer?: ReaderObserver;
}

/**
 * What a reader does with each delivered item, whatever its transport: read
 * it, report the read to the events stream and only then ack it. Exactly once
 * in effect: a redelivered item that was already read, by this reader or
 * another, is acked without being read or counted again.
 */
export class DeliveryHandler {
  readonly counts = { read: 0, duplicates: 0, handedBack: 0 };
  private readonly recent = new RecentKeys(100_000);

  constructor(private readonly options: DeliveryHandlerOptions) {}

  /** Handles one delivery; returns a promise only when it has to wait (a slow read, a redelivery's look-up, a full report window). */
  handle(delivery: Delivery): Promise<void> | undefined {
    if (delivery.trace) return inProcessSpan(delivery, delivery.trace, (traced) => this.route(delivery, traced));
    return this.route(delivery);
  }

  /** `traced`: the context of the item's process span, for its read report to join the run's trace. */
  private route(delivery: Delivery, traced?: Context): Promise<void> | undefined {
    const { item, deliveryCount } = delivery;
    if (this.options.stopping.aborted) return this.handBack(delivery, 'reader is stopping; item handed back unread');
    // Only a stored transport delivers an item again: a core item's key would only crowd out those worth remembering.
    const key = TRANSPORTS[delivery.transport].stored ? itemMessageId(item.runId, item.seq) : undefined;
    if (key !== undefined && this.recent.has(key)) return this.ackAlreadyRead(delivery);
    // A first delivery cannot have been read before; only a redelivery needs the look-up.
    if (deliveryCount > 1) return this.handleRedelivery(delivery, key, traced);
    return this.readAndReport(delivery, key, traced);
  }

  private async handleRedelivery(delivery: Delivery, key: string | undefined, traced?: Context): Promise<void> {
    const { item, deliveryCount } = delivery;
    if (await this.options.reported.has(item.runId, item.seq)) return this.ackAlreadyRead(delivery);
    this.options.logger.warn(
      { runId: item.runId, seq: item.seq, deliveryCount },
      'reading a redelivered item: an earlier delivery was never acknowledged (its reader stopped answering, or its ack was lost)',
    );
    return this.readAndReport(delivery, key, traced);
  }

  private readAndReport(delivery: Delivery, key: string | undefined, traced?: Context): Promise<void> | undefined {
    const read = readItem(delivery.item, delivery.deliveryCount, this.options.logger, this.options.stopping);
    if (!(read instanceof Promise)) return this.report(delivery, key, read, traced);
    return read.then(
      (record) => this.report(delivery, key, record, traced),
      (error: unknown) => {
        if (!this.options.stopping.aborted) throw error;
        return this.handBack(delivery, 'read cut short by shutdown; item handed back');
      },
    );
  }

  private report(delivery: Delivery, key: string | undefined, record: ReadRecord, traced?: Context): Promise<void> | undefined {
    // Remembered, and counted, as read only once the report has landed: a report lost in a
    // NATS outage must not make the redelivery look already done, nor count the item twice.
    return this.options.reporter.add(
      delivery.item.runId,
      record,
      () => {
        if (key !== undefined) this.recent.add(key);
        delivery.ack();
        this.counts.read++;
        this.options.observer?.itemRead(delivery.transport, delivery.deliveryCount);
      },
      traced,
    );
  }

  private ackAlreadyRead(delivery: Delivery): undefined {
    const { item, deliveryCount } = delivery;
    this.counts.duplicates++;
    this.options.observer?.alreadyRead();
    this.options.logger.warn(
      { runId: item.runId, seq: item.seq, deliveryCount },
      'redelivered item was already read; acked without reading again',
    );
    delivery.ack();
  }

  /**
   * Gives an item back on purpose. The hand-back is reported (and stored)
   * first, so the coordinator counts the item's next delivery as handed back,
   * not as a fault's redelivery.
   */
  private async handBack(delivery: Delivery, message: string): Promise<void> {
    const { item } = delivery;
    const { reporter, logger } = this.options;
    if (!delivery.canHandBack) {
      return logger.warn(
        { runId: item.runId, seq: item.seq, transport: delivery.transport },
        'item cut short and lost: its transport cannot take it back',
      );
    }
    try {
      await reporter.handedBack(item.runId, [item.seq]);
    } catch (error) {
      logger.warn({ err: error, runId: item.runId, seq: item.seq }, 'hand-back not reported; its next delivery will count as a redelivery');
    }
    delivery.handBack();
    this.counts.handedBack++;
    this.options.observer?.itemHandedBack();
    logger.info({ runId: item.runId, seq: item.seq, deliveryCount: delivery.deliveryCount }, message);
  }
}
