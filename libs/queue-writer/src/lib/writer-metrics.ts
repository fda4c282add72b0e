import type { Transport, WriterObserver } from '@concurrency-lab/queue';
import { Counter, type Registry } from 'prom-client';

/** The writer's metrics: give the result to startWriter as its observer. */
export function writerMetrics(registry: Registry): WriterObserver {
  // Counted in plain numbers (by transport: [new, duplicate]) and handed to the counter as it is
  // collected: even a looked-up labelled child's inc() cost a core writer about 3 µs an item.
  const uncollected = new Map<Transport, [number, number]>();
  new Counter({
    name: 'lab_queue_items_published_total',
    help: 'Items the writer published, by transport; duplicate="true": JetStream already had the item from an earlier attempt.',
    labelNames: ['transport', 'duplicate'] as const,
    registers: [registry],
    collect() {
      for (const [transport, [fresh, duplicates]] of uncollected) {
        if (fresh > 0) this.inc({ transport, duplicate: 'false' }, fresh);
        if (duplicates > 0) this.inc({ transport, duplicate: 'true' }, duplicates);
      }
      uncollected.clear();
    },
  });
  return {
    itemWritten(transport, duplicate) {
      let counts = uncollected.get(transport);
      if (!counts) uncollected.set(transport, (counts = [0, 0]));
      counts[duplicate ? 1 : 0]++;
    },
  };
}
