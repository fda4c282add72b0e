import { CoordinatorProblem } from '@concurrency-lab/api-client';
import { MiB, residentMemoryBytes, watchPeak } from '@concurrency-lab/testing';
import type { Cleanup } from '../cleanup.js';
import { startExpressAnchor } from '../express-anchor.js';
import { loadNote, measureLoad, type LoadResult } from '../http-load.js';
import { settledReading } from '../memory-watch.js';
import type { BenchPlan } from '../options.js';
import { reasonOf, row, type BenchRow } from '../rows.js';
import { joinNotes, logRow, type CaseContext } from './context.js';

/** The small simulation: two tasks of 1 to 2 ms on the event loop, so the request path and run bookkeeping are what is loaded. */
export const SMALL_SIMULATION = { mode: 'async', count: 2, minMs: 1, maxMs: 2 } as const;

const GROUP = 'bounded load';
/** Requests each server answers first, not counted, so neither is measured cold (Express starts fresh for this case). */
const WARM_UP = { health: 500, simulations: 50 } as const;

export interface Measured {
  result: LoadResult | null;
  error?: string;
}

export interface BoundedLoadMeasurements {
  plan: Pick<BenchPlan, 'loadHealthRequests' | 'loadSimulations' | 'loadHealthConnections' | 'simulationConnections'>;
  health: { coordinator: Measured; express: Measured };
  /** Not measured when the coordinator rejected the small simulation (the reason). */
  simulations: { coordinator: Measured; express: Measured } | { skipped: string };
  /** The coordinator's RSS in bytes, from its /metrics: before the load, after it (once settled) and the highest seen. */
  memory: { before: number | null; after: number | null; peak: number | null; samples: number; settled: boolean; error?: string };
}

const count = (n: number) => n.toLocaleString('en-US');
const inMiB = (bytes: number | null) => (bytes === null ? null : Math.round((bytes / MiB) * 10) / 10);

function loadRow(id: string, what: string, requests: number, connections: number, coordinator: Measured, express: Measured): BenchRow {
  return row({
    id,
    group: GROUP,
    what,
    unit: 'req/s',
    better: 'higher',
    project: coordinator.result?.rps ?? null,
    anchor: { name: 'bare Express 5, same count', value: express.result?.rps ?? null },
    note: joinNotes(
      loadNote('coordinator', coordinator.result, coordinator.error, { elapsed: true }),
      loadNote('express', express.result, express.error, { elapsed: true }),
    ),
    params: {
      requests,
      connections,
      coordinatorNon2xx: coordinator.result?.non2xx ?? -1,
      coordinatorErrors: coordinator.result?.errors ?? -1,
      expressNon2xx: express.result?.non2xx ?? -1,
    },
  });
}

/**
 * The case's rows: each route's 2xx rate over a fixed count of requests
 * against bare Express doing the same count, and the coordinator's RSS after
 * the load against before it (ratio after / before: lower is better, 1 means
 * all of it came back), with the peak in the note. The case runs last, so
 * "before" is a coordinator already warmed by the cases above: what this load
 * leaves behind, not how far a fresh process grows into its heap (the e2e
 * spec apps/system-e2e/src/load.spec.ts measures that).
 */
export function boundedLoadRows(m: BoundedLoadMeasurements): BenchRow[] {
  const { plan } = m;
  const rows = [
    loadRow(
      'bounded-load/healthz',
      `GET /healthz x ${count(plan.loadHealthRequests)}, ${plan.loadHealthConnections} connections`,
      plan.loadHealthRequests,
      plan.loadHealthConnections,
      m.health.coordinator,
      m.health.express,
    ),
  ];
  const simulationsWhat = `POST /simulations x ${count(plan.loadSimulations)} small (async, 2 tasks of 1-2 ms), ${plan.simulationConnections} connections`;
  if ('skipped' in m.simulations) {
    rows.push(
      row({
        id: 'bounded-load/post-simulations',
        group: GROUP,
        what: simulationsWhat,
        unit: 'req/s',
        better: 'higher',
        project: null,
        anchor: { name: 'bare Express 5, same count', value: null },
        note: `n/a: ${m.simulations.skipped}`,
        params: { requests: plan.loadSimulations, connections: plan.simulationConnections },
      }),
    );
  } else {
    rows.push(
      loadRow(
        'bounded-load/post-simulations',
        simulationsWhat,
        plan.loadSimulations,
        plan.simulationConnections,
        m.simulations.coordinator,
        m.simulations.express,
      ),
    );
  }
  const { before, after, peak, samples, settled, error } = m.memory;
  const highest = [before, after, peak].filter((bytes): bytes is number => bytes !== null);
  rows.push(
    row({
      id: 'bounded-load/rss',
      group: GROUP,
      what: 'coordinator RSS after vs before this load (warm process)',
      unit: 'MiB',
      better: 'lower',
      project: inMiB(after),
      anchor: { name: 'coordinator before the load', value: inMiB(before) },
      note: error
        ? `n/a: ${error}`
        : joinNotes(
            highest.length > 0 && `peak ${(Math.max(...highest) / MiB).toFixed(1)} MiB (${samples} samples of /metrics during the load)`,
            after !== null && !settled && 'after: still moving when read',
          ),
      params: {
        beforeMiB: inMiB(before) ?? -1,
        afterMiB: inMiB(after) ?? -1,
        peakMiB: highest.length > 0 ? (inMiB(Math.max(...highest)) ?? -1) : -1,
      },
    }),
  );
  return rows;
}

/**
 * Bounded load (issue 8): a fixed count of GET /healthz, then of small POST
 * /simulations (no more connections than the coordinator runs at once, so
 * none should get 429), each run also bounded in time; the same counts
 * against bare Express; and the coordinator's RSS before, during and after.
 * Each server is warmed up first with a few uncounted requests.
 */
export async function boundedLoadCase(ctx: CaseContext, cleanup: Cleanup): Promise<BenchRow[]> {
  const { plan, signal } = ctx;
  const base = ctx.client.baseUrl;

  // A body this coordinator rejects would measure only errors: one probe first, and an n/a row naming why.
  const rejected = await ctx.client.api.simulate(SMALL_SIMULATION, { timeoutMs: 30_000, signal }).then(
    (probe) => (probe.status === 201 ? undefined : `rejected: HTTP ${probe.status}`),
    (error: unknown) => {
      if (error instanceof CoordinatorProblem) return `rejected: ${error.reason}`;
      throw error;
    },
  );

  const healthLoad = {
    method: 'GET' as const,
    connections: plan.loadHealthConnections,
    amount: plan.loadHealthRequests,
    seconds: plan.loadMaxSeconds,
    signal,
  };
  const simulationLoad = {
    method: 'POST' as const,
    body: SMALL_SIMULATION,
    connections: plan.simulationConnections,
    amount: plan.loadSimulations,
    seconds: plan.loadMaxSeconds,
    signal,
  };
  const warmUp = async (url: string) => {
    await measureLoad({ ...healthLoad, amount: WARM_UP.health, url: `${url}/healthz` });
    if (!rejected) await measureLoad({ ...simulationLoad, amount: WARM_UP.simulations, url: `${url}/simulations` });
  };

  await warmUp(base);
  const rss = () => residentMemoryBytes(base, 'coordinator', AbortSignal.any([AbortSignal.timeout(10_000), signal]));
  let memoryError: string | undefined;
  const before = await rss().catch((error: unknown) => {
    memoryError = `RSS not read: ${reasonOf(error)}`;
    return null;
  });
  const watch = watchPeak(rss);
  const coordinatorHealth = await measureLoad({ ...healthLoad, url: `${base}/healthz` });
  const coordinatorSimulations = rejected ? null : await measureLoad({ ...simulationLoad, url: `${base}/simulations` });
  const { peak, samples } = await watch.stop();
  const after =
    before === null
      ? { value: null, settled: false }
      : await settledReading(rss, { tolerance: MiB, signal }).catch((error: unknown) => {
          memoryError = `RSS after not read: ${reasonOf(error)}`;
          return { value: null, settled: false };
        });

  signal.throwIfAborted();
  const express = await startExpressAnchor(cleanup);
  let expressHealth: Measured;
  let expressSimulations: Measured | null = null;
  try {
    await warmUp(express.baseUrl);
    expressHealth = await measureLoad({ ...healthLoad, url: `${express.baseUrl}/healthz` });
    if (!rejected) expressSimulations = await measureLoad({ ...simulationLoad, url: `${express.baseUrl}/simulations` });
  } finally {
    await express.stop();
  }

  const rows = boundedLoadRows({
    plan,
    health: { coordinator: coordinatorHealth, express: expressHealth },
    simulations:
      rejected || !coordinatorSimulations || !expressSimulations
        ? { skipped: rejected ?? 'not measured' }
        : { coordinator: coordinatorSimulations, express: expressSimulations },
    memory: {
      before,
      after: after.value,
      peak,
      samples,
      settled: after.settled,
      ...(memoryError === undefined ? {} : { error: memoryError }),
    },
  });
  for (const built of rows) logRow(ctx, built);
  return rows;
}
