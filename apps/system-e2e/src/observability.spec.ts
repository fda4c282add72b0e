import { createCoordinatorClient, type CoordinatorClient } from '@concurrency-lab/api-client';
import { sampleValue, type LogLine } from '@concurrency-lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem, type ServiceName } from './support/system.js';

/**
 * Seeing a run: one queue run followed through the logs of the three
 * services (on a quiet system, every line any service logs while the run is
 * under way is about it, so every one must name it), and what each service's
 * /metrics says afterwards.
 */
describe('observability: one run through three services', () => {
  let system: RunningSystem;
  let client: CoordinatorClient;
  beforeAll(async () => {
    system = await startSystem();
    client = createCoordinatorClient({ baseUrl: system.baseUrl });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('echoes X-Request-Id, and every line about the run, in every service, carries its run id', async () => {
    const services = ['coordinator', 'writer', 'reader'] as const satisfies ServiceName[];
    const firstLine = Object.fromEntries(services.map((service) => [service, system.services[service].lines.length]));
    const requestId = 'correlation-spec-1';
    // The typed client's openapi-fetch layer: this spec is about the answer's header too.
    const { data, response } = await client.api.POST('/queue-runs', {
      headers: { 'x-request-id': requestId },
      body: { items: ['a', 'b', 'c', 'd', 'e'], writeDelayMs: 20, readDelayMs: 10 },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const { runId } = data!;

    // The last line each service logs about the run.
    const last: Record<(typeof services)[number], (line: LogLine) => boolean> = {
      coordinator: (line) => line.msg === 'request completed' && (line['req'] as { id?: string } | undefined)?.id === requestId,
      writer: (line) => line.msg === 'run written',
      reader: (line) => line.msg === 'item read' && line['seq'] === 5,
    };
    for (const service of services) await system.services[service].waitForLine(last[service]);

    for (const service of services) {
      const during = system.services[service].lines.slice(firstLine[service]);
      const end = during.findIndex(last[service]);
      const aboutTheRun = during.slice(0, end + 1);
      expect(aboutTheRun.length, `${service} logged the run`).toBeGreaterThan(0);
      const unnamed = aboutTheRun.filter((line) => line['runId'] !== runId);
      expect(unnamed, `${service} lines without the run id`).toEqual([]);
      expect(aboutTheRun.every((line) => line['pid'] === system.services[service].pid)).toBe(true);
    }
    // The writer learns the request id from the NATS headers of the run request.
    const writerLines = system.services.writer.lines.slice(firstLine['writer']);
    expect(writerLines.find((line) => line.msg === 'writing run')).toMatchObject({ runId, requestId });
    // Item lines name their item.
    const readerLines = system.services.reader.lines.slice(firstLine['reader']);
    expect(readerLines.filter((line) => line.msg === 'item read').map((line) => line['seq'])).toEqual([1, 2, 3, 4, 5]);
    expect(writerLines.filter((line) => line.msg === 'item written').map((line) => line['seq'])).toEqual([1, 2, 3, 4, 5]);
  });

  it('GET /metrics on every service counts what happened, in Prometheus text format, and is not logged', async () => {
    const items = ['m1', 'm2', 'm3', 'm4'];
    const queued = await client.queueRun({ items, writeDelayMs: 0, readDelayMs: 0 });
    expect(queued.items).toBe(items.length);
    const simulated = await client.simulate({ mode: 'async', count: 3, minMs: 5, maxMs: 10 });
    expect(simulated.status).toBe(201);

    const scrape = async (service: ServiceName) => {
      const response = await fetch(`${system.urlOf(system.services[service])}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(text).toContain(`process_resident_memory_bytes{service="${service}"}`);
      return text;
    };
    const coordinator = await scrape('coordinator');
    expect(sampleValue(coordinator, 'lab_simulation_runs_total{mode="async",outcome="finished"')).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(coordinator, 'lab_simulation_task_duration_seconds_count{service="coordinator",mode="async"'),
    ).toBeGreaterThanOrEqual(3);
    expect(sampleValue(coordinator, 'lab_queue_runs_total{transport="jetstream",outcome="finished"')).toBeGreaterThanOrEqual(1);
    const writer = await scrape('writer');
    expect(sampleValue(writer, 'lab_queue_items_published_total{transport="jetstream",duplicate="false"')).toBeGreaterThanOrEqual(
      items.length,
    );
    const reader = await scrape('reader');
    expect(sampleValue(reader, 'lab_queue_items_read_total{transport="jetstream"')).toBeGreaterThanOrEqual(items.length);
    expect(sampleValue(reader, 'lab_queue_consumer_pending{')).toBe(0); // everything was read
    for (const service of ['coordinator', 'writer', 'reader'] as const) {
      const logged = system.services[service].lines.filter((line) => (line['req'] as { url?: string } | undefined)?.url === '/metrics');
      expect(logged, `${service} logged a scrape`).toEqual([]);
    }
  });
});
