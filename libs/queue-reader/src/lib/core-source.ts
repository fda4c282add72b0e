import type { Logger } from '@concurrency-lab/logger';
import { decodeCoreItem, TRANSPORTS, type ReaderObserver } from '@concurrency-lab/queue';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { parseItem, type Delivery, type DeliveryHandle, type ItemSource } from './item-source.js';
import type { PauseGate } from './pause-gate.js';

/** Readers share core items as one queue group: each item goes to one of them. */
export const CORE_READER_GROUP = 'readers';

const nothingToDo = () => undefined;

/**
 * Items over core NATS: a plain queue-group subscription, each message one
 * item in the core wire format (decodeCoreItem: the subject names the run and
 * the seq, the payload is the item's bytes behind a small head; no JSON). Nothing is stored,
 * acked or delivered again, so an item cannot be handed back: one cut short by
 * a shutdown is lost, as core mode promises nothing.
 *
 * A callback subscription, not an async iterator: the messages of one socket
 * read are handled in one go, with no promise per item unless a read has to
 * wait; those that arrive meanwhile queue here, in order.
 */
export class CoreItemSource implements ItemSource {
  private readonly subscription: Subscription;
  private readonly waiting: Msg[] = [];
  private next = 0;
  private handle: DeliveryHandle | undefined;
  /** The loop handling the waiting messages, while one runs (`busy`) or the last one. */
  private handling: Promise<void> | undefined;
  private busy = false;

  constructor(
    nc: NatsConnection,
    private readonly gate: PauseGate,
    private readonly logger: Logger,
    private readonly observer?: ReaderObserver,
  ) {
    this.subscription = nc.subscribe(`${TRANSPORTS.core.itemSubjectRoot}.>`, {
      queue: CORE_READER_GROUP,
      callback: (error, message) => {
        if (error) return this.logger.warn({ err: error }, 'core item subscription failed');
        this.waiting.push(message);
        this.handleWaiting();
      },
    });
  }

  async run(handle: DeliveryHandle): Promise<void> {
    this.handle = handle;
    this.handleWaiting();
    await this.subscription.closed;
    await this.handling;
  }

  async stop(): Promise<void> {
    await this.subscription.drain();
    await this.handling;
  }

  private handleWaiting(): void {
    if (!this.handle || this.busy) return;
    this.busy = true;
    this.handling = this.handleAll(this.handle);
  }

  /** Handles the waiting items in order, one at a time; awaits only an item that is not done with at once. */
  private async handleAll(handle: DeliveryHandle): Promise<void> {
    try {
      while (this.next < this.waiting.length) {
        if (!this.gate.isOpen) await this.gate.waitOpen();
        const message = this.waiting[this.next] as Msg;
        this.waiting[this.next++] = undefined as unknown as Msg; // let it go at once
        if (this.next === this.waiting.length) {
          this.waiting.length = 0;
          this.next = 0;
        }
        const pending = this.handleOne(message, handle);
        if (pending) await pending;
      }
    } finally {
      // Cleared in the same turn as the last look at the queue (not a microtask later), so no message arrives unseen.
      this.busy = false;
    }
  }

  private handleOne(message: Msg, handle: DeliveryHandle): Promise<void> | undefined {
    const item = parseItem(message, this.logger, this.observer, decodeCoreItem);
    if (!item) return undefined;
    const delivery: Delivery = {
      item,
      deliveryCount: 1,
      transport: 'core',
      canHandBack: false,
      ack: nothingToDo,
      handBack: nothingToDo,
    };
    try {
      return handle(delivery)?.catch((error: unknown) => this.notRead(error, delivery));
    } catch (error) {
      this.notRead(error, delivery);
      return undefined;
    }
  }

  private notRead(error: unknown, { item }: Delivery): void {
    this.logger.error({ err: error, runId: item.runId, seq: item.seq }, 'core item not read');
  }
}
