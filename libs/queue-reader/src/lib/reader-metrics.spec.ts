import { createMetricsRegistry } from '@concurrency-lab/metrics';
import { describe, expect, it } from 'vitest';
import { readerMetrics } from './reader-metrics.js';

/** The value of one sample line, e.g. `lab_x_total{mode="async",service="s"}`, its labels in any order. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((pair) => candidate.includes(pair)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('reader metrics', () => {
  it('counts items read, redelivered, skipped and discarded, and asks for the lag when scraped', async () => {
    const registry = createMetricsRegistry('reader');
    let lagAsked = 0;
    const reader = readerMetrics(registry, async () => ({ pending: 7 + lagAsked++, ackPending: 3 }));
    reader.itemRead('jetstream', 1);
    reader.itemRead('jetstream', 2);
    reader.itemRead('core', 1);
    reader.alreadyRead();
    reader.malformedItem();
    reader.itemHandedBack();
    const text = await registry.metrics();
    expect(text).toContain('# TYPE lab_queue_items_read_total counter');
    expect(sample(text, 'lab_queue_items_read_total', { transport: 'jetstream' })).toBe(2);
    expect(sample(text, 'lab_queue_items_read_total', { transport: 'core' })).toBe(1);
    expect(sample(text, 'lab_queue_items_redelivered_total', {})).toBe(1);
    expect(sample(text, 'lab_queue_redeliveries_already_read_total', {})).toBe(1);
    expect(sample(text, 'lab_queue_malformed_items_total', {})).toBe(1);
    expect(sample(text, 'lab_queue_items_handed_back_total', {})).toBe(1);
    expect(sample(text, 'lab_queue_consumer_pending', {})).toBe(7);
    expect(sample(text, 'lab_queue_consumer_ack_pending', {})).toBe(3);
    reader.itemRead('core', 1);
    const next = await registry.metrics();
    expect(sample(next, 'lab_queue_consumer_pending', {})).toBe(8); // asked again at each scrape, once
    // Reads are counted for good: a scrape adds those since the last one to the totals.
    expect(sample(next, 'lab_queue_items_read_total', { transport: 'core' })).toBe(2);
    expect(sample(next, 'lab_queue_items_read_total', { transport: 'jetstream' })).toBe(2);
  });
});
