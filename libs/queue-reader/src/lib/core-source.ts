import type { Logger } from '@concurrency-lab/logger';
import { TRANSPORTS, type ReaderObserver } from '@concurrency-lab/queue';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { parseItem, type Delivery, type ItemSource } from './item-source.js';
import type { PauseGate } from './pause-gate.js';

/** Readers share core items as one queue group: each item goes to one of them. */
export const CORE_READER_GROUP = 'readers';

/**
 * Items over core NATS: a plain queue-group subscription. Nothing is stored,
 * acked or delivered again, so an item cannot be handed back: one cut short by
 * a shutdown is lost, as core mode promises nothing.
 */
export class CoreItemSource implements ItemSource {
  private readonly subscription: Subscription;

  constructor(
    nc: NatsConnection,
    private readonly gate: PauseGate,
    private readonly logger: Logger,
    private readonly observer?: ReaderObserver,
  ) {
    this.subscription = nc.subscribe(`${TRANSPORTS.core.itemSubjectRoot}.>`, { queue: CORE_READER_GROUP });
  }

  async run(handle: (delivery: Delivery) => Promise<void>): Promise<void> {
    for await (const message of this.subscription) {
      await this.gate.waitOpen();
      const item = parseItem(message, this.logger, this.observer);
      if (!item) continue;
      try {
        await handle({ item, deliveryCount: 1, transport: 'core', canHandBack: false, ack: () => undefined, handBack: () => undefined });
      } catch (error) {
        this.logger.error({ err: error, runId: item.runId, seq: item.seq }, 'core item not read');
      }
    }
  }

  async stop(): Promise<void> {
    await this.subscription.drain();
  }
}
