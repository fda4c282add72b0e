import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats, type NatsConnection } from '@concurrency-lab/nats';
import { openQueue } from '@concurrency-lab/queue';
import { startReader, type ReaderService } from '@concurrency-lab/queue-reader';
import { startWriter, type WriterService } from '@concurrency-lab/queue-writer';
import { findElements, parseXml } from '@concurrency-lab/testing';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpecCoordinator, type SpecCoordinator } from './support/spec-coordinator.js';

const logger = createLogger({ service: 'spec', destination: new PassThrough() });

/**
 * Two coordinators on one nats-server, each with the run records: what one
 * runs, the other answers from the record, and says whose it is.
 */
describe('runs answered from their records by another coordinator', () => {
  let first: SpecCoordinator;
  let second: SpecCoordinator;
  let nc: NatsConnection;

  beforeAll(async () => {
    first = await startSpecCoordinator();
    second = await startSpecCoordinator({ natsUrl: first.natsUrl });
    nc = await connectToNats({ servers: first.natsUrl, name: 'run-records-spec', logger });
  });
  afterAll(async () => {
    await second?.stop();
    if (nc) await drainNats(nc, logger);
    await first?.stop(); // last: it owns the nats-server
  });

  const post = (base: string, path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers a finished simulation of the other, and draws it from the stored report', async () => {
    const tasks = [
      { name: 'a', durationMs: 20 },
      { name: 'b', durationMs: 30 },
    ];
    const answer = await post(first.base, '/simulations', { mode: 'compare', modes: ['sequential', 'async'], tasks });
    expect(answer.status).toBe(201);
    const { runId } = (await answer.json()) as { runId: string };
    await first.runs.recordsWritten();
    const view = (await (await fetch(`${second.base}/simulations/${runId}`)).json()) as Record<string, unknown>;
    expect(view).toMatchObject({ id: runId, status: 'finished', modes: ['sequential', 'async'], tasks: 2, report: { runId } });
    expect(view['recordedBy']).toMatchObject({ pid: process.pid });
    expect((await (await fetch(`${first.base}/simulations/${runId}`)).json()) as object).not.toHaveProperty('recordedBy');
    const chart = await fetch(`${second.base}/simulations/${runId}/timeline.svg`);
    expect(chart.status).toBe(200);
    const svg = parseXml(await chart.text());
    expect(svg.attributes).toMatchObject({ 'data-status': 'finished', 'data-run-id': runId });
    expect(findElements(svg, (element) => element.attributes['class'] === 'bar')).toHaveLength(4);
    const events = await (await fetch(`${second.base}/simulations/${runId}/events`)).text();
    expect(events).toMatch(/^event: run-finished$/m);
  });

  it('answers a simulation still running on the other as running, and sends its events and cancel there', async () => {
    const held = await post(first.base, '/simulations', { mode: 'async', tasks: [{ name: 'hold', durationMs: 30_000 }], waitMs: 0 });
    const { id } = (await held.json()) as { id: string };
    try {
      await first.runs.recordsWritten();
      expect(await (await fetch(`${second.base}/simulations/${id}`)).json()).toMatchObject({ id, status: 'running', recordedBy: {} });
      const events = await fetch(`${second.base}/simulations/${id}/events`);
      expect(events.status).toBe(409);
      expect(((await events.json()) as { detail: string }).detail).toMatch(/runs on another coordinator/);
      const cancel = await fetch(`${second.base}/simulations/${id}`, { method: 'DELETE' });
      expect(cancel.status).toBe(409);
      expect(first.runs.get(id)?.status).toBe('running');
    } finally {
      await first.runs.cancel(id);
    }
    await first.runs.recordsWritten();
    expect(await (await fetch(`${second.base}/simulations/${id}`)).json()).toMatchObject({ id, status: 'cancelled' });
  });

  it('answers a queue run of the other with its report, and draws it', async () => {
    const { js, jsm } = await openQueue(nc, 'reader', { ackWaitMs: 5_000 });
    const services: (WriterService | ReaderService)[] = [startWriter({ nc, js, logger }), await startReader({ nc, js, jsm, logger })];
    try {
      const answer = await post(first.base, '/queue-runs', { items: ['a', 'b', 'c'], writeDelayMs: 1, readDelayMs: 1 });
      expect(answer.status).toBe(200);
      const { runId } = (await answer.json()) as { runId: string };
      await first.queueRuns.recordsWritten();
      const view = await (await fetch(`${second.base}/queue-runs/${runId}`)).json();
      expect(view).toMatchObject({ runId, status: 'finished', items: 3, transport: 'jetstream', report: { runId, items: 3 } });
      expect(view).toHaveProperty('recordedBy.pid', process.pid);
      const chart = await fetch(`${second.base}/queue-runs/${runId}/timeline.svg`);
      expect(chart.status).toBe(200);
      expect(parseXml(await chart.text()).attributes).toMatchObject({ 'data-run-id': runId });
    } finally {
      await Promise.all(services.map((service) => service.stop()));
    }
  });

  it('answers a failed queue run of its own from the record, though memory keeps only finished ones', async () => {
    const failed = await post(first.base, '/queue-runs', { items: ['a'], writeDelayMs: 0, readDelayMs: 0 });
    expect(failed.status).toBe(503);
    const { runId } = (await failed.json()) as { runId: string };
    await first.queueRuns.recordsWritten();
    expect(await (await fetch(`${first.base}/queue-runs/${runId}`)).json()).toMatchObject({
      runId,
      status: 'failed',
      error: expect.any(String),
    });
    expect((await fetch(`${first.base}/queue-runs/${runId}/timeline.svg`)).status).toBe(404);
  });
});
