import type { ConsumerLag, ReaderObserver } from '@concurrency-lab/queue';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The reader's metrics: give the result to startReader as its observer. The
 * consumer's lag is asked of JetStream when Prometheus scrapes, so it is
 * the whole consumer's (all readers), current, and costs nothing between scrapes.
 */
export function readerMetrics(registry: Registry, lag: () => Promise<ConsumerLag>): ReaderObserver {
  // Counted in plain numbers and handed to the counter as it is collected: a labelled inc() hashes its
  // labels every time, which was the reader's costliest line per item.
  const readsUncollected = new Map<string, number>();
  new Counter({
    name: 'lab_queue_items_read_total',
    help: 'Items this reader read, by transport.',
    labelNames: ['transport'] as const,
    registers: [registry],
    collect() {
      for (const [transport, count] of readsUncollected) if (count > 0) this.inc({ transport }, count);
      readsUncollected.clear();
    },
  });
  const redelivered = new Counter({
    name: 'lab_queue_items_redelivered_total',
    help: 'Items this reader read on a redelivery (their first reader died or handed them back on shutdown, or an ack was lost).',
    registers: [registry],
  });
  const alreadyRead = new Counter({
    name: 'lab_queue_redeliveries_already_read_total',
    help: 'Redelivered items that had already been read: acked without reading them again.',
    registers: [registry],
  });
  const handedBack = new Counter({
    name: 'lab_queue_items_handed_back_total',
    help: 'Items this reader gave back unread on purpose (it was stopping): their next delivery is no fault.',
    registers: [registry],
  });
  const malformed = new Counter({
    name: 'lab_queue_malformed_items_total',
    help: 'Messages on an item subject that were not items: discarded.',
    registers: [registry],
  });
  // prom-client collects a scrape's gauges at once: they share one look-up, so a scrape costs one
  // round trip to JetStream and both figures are of the same moment.
  let lookUp: Promise<ConsumerLag> | undefined;
  const lagOfThisScrape = () => (lookUp ??= lag().finally(() => (lookUp = undefined)));
  new Gauge({
    name: 'lab_queue_consumer_pending',
    help: 'Items waiting in the queue stream, not yet delivered to any reader (the readers\u2019 lag).',
    registers: [registry],
    async collect() {
      this.set((await lagOfThisScrape()).pending);
    },
  });
  new Gauge({
    name: 'lab_queue_consumer_ack_pending',
    help: 'Items delivered to a reader and not yet acknowledged.',
    registers: [registry],
    async collect() {
      this.set((await lagOfThisScrape()).ackPending);
    },
  });
  return {
    itemRead(transport, deliveryCount) {
      readsUncollected.set(transport, (readsUncollected.get(transport) ?? 0) + 1);
      if (deliveryCount > 1) redelivered.inc();
    },
    alreadyRead: () => alreadyRead.inc(),
    malformedItem: () => malformed.inc(),
    itemHandedBack: () => handedBack.inc(),
  };
}
