// eslint-disable-next-line @nx/enforce-module-boundaries -- TEMPORARY until branch "runs" moves the metric adapters beside what they observe; remove at merge
import type { ConsumerLag, ReaderObserver, WriterObserver } from '@concurrency-lab/queue';
import { Counter, Gauge, type Registry } from 'prom-client';

/** The writer's metrics: give the result to startWriter as its observer. */
export function writerMetrics(registry: Registry): WriterObserver {
  const written = new Counter({
    name: 'lab_queue_items_published_total',
    help: 'Items the writer published, by transport; duplicate="true": JetStream already had the item from an earlier attempt.',
    labelNames: ['transport', 'duplicate'] as const,
    registers: [registry],
  });
  // One labelled child per combination, looked up once: inc() with a labels object hashes them on every item.
  const children = new Map<string, ReturnType<typeof written.labels>>();
  return {
    itemWritten(transport, duplicate) {
      const key = `${transport}:${duplicate}`;
      let child = children.get(key);
      if (!child) children.set(key, (child = written.labels({ transport, duplicate: String(duplicate) })));
      child.inc();
    },
  };
}

/**
 * The reader's metrics: give the result to startReader as its observer. The
 * consumer's lag is asked of JetStream when Prometheus scrapes, so it is
 * the whole consumer's (all readers), current, and costs nothing between scrapes.
 */
export function readerMetrics(registry: Registry, lag: () => Promise<ConsumerLag>): ReaderObserver {
  const read = new Counter({
    name: 'lab_queue_items_read_total',
    help: 'Items this reader read, by transport.',
    labelNames: ['transport'] as const,
    registers: [registry],
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
      read.inc({ transport });
      if (deliveryCount > 1) redelivered.inc();
    },
    alreadyRead: () => alreadyRead.inc(),
    malformedItem: () => malformed.inc(),
    itemHandedBack: () => handedBack.inc(),
  };
}

/** The coordinator's queue-run metrics. */
export function queueRunMetrics(registry: Registry): { runEnded(transport: string, outcome: string): void } {
  const runs = new Counter({
    name: 'lab_queue_runs_total',
    help: 'Queue runs ended, by transport and outcome (finished; the failure: writer-unavailable, writer-failed, timeout, cancelled, too-large; or error, an unexpected one).',
    labelNames: ['transport', 'outcome'] as const,
    registers: [registry],
  });
  return { runEnded: (transport, outcome) => runs.inc({ transport, outcome }) };
}
