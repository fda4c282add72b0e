import { createMetricsRegistry } from '@concurrency-lab/metrics';
import { describe, expect, it } from 'vitest';
import { writerMetrics } from './writer-metrics.js';

/** The value of one sample line, e.g. `lab_x_total{mode="async",service="s"}`, its labels in any order. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((pair) => candidate.includes(pair)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('writer metrics', () => {
  it('counts items written by transport, apart those JetStream already had', async () => {
    const registry = createMetricsRegistry('writer');
    const writer = writerMetrics(registry);
    writer.itemWritten('jetstream', false);
    writer.itemWritten('jetstream', true);
    const text = await registry.metrics();
    expect(sample(text, 'lab_queue_items_published_total', { transport: 'jetstream', duplicate: 'true' })).toBe(1);
    expect(sample(text, 'lab_queue_items_published_total', { transport: 'jetstream', duplicate: 'false' })).toBe(1);
  });

  it('adds what was written between scrapes, and keeps the total across them', async () => {
    const registry = createMetricsRegistry('writer');
    const writer = writerMetrics(registry);
    for (let i = 0; i < 3; i++) writer.itemWritten('core', false);
    expect(sample(await registry.metrics(), 'lab_queue_items_published_total', { transport: 'core', duplicate: 'false' })).toBe(3);
    writer.itemWritten('core', false);
    writer.itemWritten('jetstream', true);
    const text = await registry.metrics();
    expect(sample(text, 'lab_queue_items_published_total', { transport: 'core', duplicate: 'false' })).toBe(4);
    expect(sample(text, 'lab_queue_items_published_total', { transport: 'jetstream', duplicate: 'true' })).toBe(1);
    expect(sample(await registry.metrics(), 'lab_queue_items_published_total', { transport: 'core', duplicate: 'false' })).toBe(4);
  });
});
