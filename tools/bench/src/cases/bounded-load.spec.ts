import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../http-load.js';
import { MiB } from '@concurrency-lab/testing';
import { boundedLoadRows, type BoundedLoadMeasurements } from './bounded-load.js';

const plan = { loadHealthRequests: 10_000, loadSimulations: 1_000, loadHealthConnections: 16, simulationConnections: 4 };

function load(total: number, elapsedMs: number, bad: Partial<LoadResult> = {}): { result: LoadResult } {
  const non2xx = bad.non2xx ?? 0;
  return {
    result: { rps: ((total - non2xx) / elapsedMs) * 1000, total, non2xx, errors: 0, timeouts: 0, elapsedMs, complete: true, ...bad },
  };
}

const measured: BoundedLoadMeasurements = {
  plan,
  health: { coordinator: load(10_000, 4_000), express: load(10_000, 2_000) },
  simulations: { coordinator: load(1_000, 1_250), express: load(1_000, 250) },
  memory: { before: 75 * MiB, after: 135 * MiB, peak: 145.24 * MiB, samples: 30, settled: true },
};
const quick: BoundedLoadMeasurements = {
  ...measured,
  plan: { ...plan, loadHealthRequests: 2_000, loadSimulations: 100 },
  simulations: { coordinator: load(100, 101.4), express: load(100, 48.6) },
  memory: { before: 173.3 * MiB, after: 181.9 * MiB, peak: 191 * MiB, samples: 10, settled: true },
};

describe('boundedLoadRows', () => {
  it('gives each route its 2xx rate against bare Express on the same count, with both counts and times in the note', () => {
    const [health, simulations] = boundedLoadRows(measured);
    expect(health).toMatchObject({
      id: 'bounded-load/healthz',
      group: 'bounded load',
      what: 'GET /healthz x 10,000, 16 connections',
      unit: 'req/s',
      better: 'higher',
      project: 2_500,
      anchor: { value: 5_000 },
      ratio: 0.5,
      note: 'coordinator 10,000 requests in 4.0 s, all 2xx; express 10,000 requests in 2.0 s, all 2xx',
      params: { requests: 10_000, connections: 16, coordinatorNon2xx: 0, coordinatorErrors: 0, expressNon2xx: 0 },
    });
    expect(simulations).toMatchObject({
      id: 'bounded-load/post-simulations',
      what: 'POST /simulations x 1,000 small (async, 2 tasks of 1-2 ms), 4 connections',
      project: 800,
      anchor: { value: 4_000 },
      ratio: 0.2,
    });
  });

  it('gives the RSS after vs before in MiB, lower better, ratio after / before, the peak in the note', () => {
    const memory = boundedLoadRows(measured)[2];
    expect(memory).toMatchObject({
      id: 'bounded-load/rss',
      unit: 'MiB',
      better: 'lower',
      project: 135,
      anchor: { name: 'coordinator before the load', value: 75 },
      ratio: 1.8,
      note: 'peak 145.2 MiB (30 samples of /metrics during the load)',
      params: { beforeMiB: 75, afterMiB: 135, peakMiB: 145.2 },
    });
  });

  it("gives a quick run's times in ms and its figures with one decimal", () => {
    const [, simulations, memory] = boundedLoadRows(quick);
    expect(simulations?.note).toBe('coordinator 100 requests in 101 ms, all 2xx; express 100 requests in 49 ms, all 2xx');
    expect(memory?.note).toBe('peak 191.0 MiB (10 samples of /metrics during the load)');
    expect(memory?.ratio).toBe(1.05);
  });

  it('counts what went wrong in the notes: non-2xx, errors, a run stopped at its time bound', () => {
    const rows = boundedLoadRows({
      ...measured,
      simulations: {
        coordinator: load(600, 20_000, { non2xx: 12, errors: 3, complete: false }),
        express: { result: null, error: 'connect ECONNREFUSED' },
      },
      memory: { ...measured.memory, settled: false },
    });
    expect(rows[1]?.note).toBe(
      'coordinator 600 requests in 20.0 s, 12 non-2xx, 3 errors, stopped at the time bound; express n/a: connect ECONNREFUSED',
    );
    expect(rows[1]?.params['coordinatorNon2xx']).toBe(12);
    expect(rows[1]?.ratio).toBeNull();
    expect(rows[2]?.note).toContain('after: still moving when read');
  });

  it('makes n/a rows, with the reason, for a simulation the coordinator rejects and for an RSS it cannot read', () => {
    const rows = boundedLoadRows({
      ...measured,
      simulations: { skipped: 'rejected: count: unknown field' },
      memory: { before: null, after: null, peak: null, samples: 0, settled: false, error: 'RSS not read: GET /metrics answered 404' },
    });
    expect(rows.map((r) => r.id)).toEqual(['bounded-load/healthz', 'bounded-load/post-simulations', 'bounded-load/rss']);
    expect(rows[1]).toMatchObject({ project: null, ratio: null, note: 'n/a: rejected: count: unknown field' });
    expect(rows[2]).toMatchObject({
      project: null,
      anchor: { value: null },
      ratio: null,
      note: 'n/a: RSS not read: GET /metrics answered 404',
    });
  });
});
