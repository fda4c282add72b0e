import type { WriterObserver } from '@concurrency-lab/queue';
import { Counter, type Registry } from 'prom-client';

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
