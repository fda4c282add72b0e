import { createCoordinatorClient } from '@concurrency-lab/api-client';
import { MiB, residentMemoryBytes, watchPeak } from '@concurrency-lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBounded, type BoundedLoadResult } from './support/load.js';
import { readyz } from './support/readiness.js';
import { startSystem, type RunningSystem } from './support/system.js';

const HEALTH_REQUESTS = 10_000;
const HEALTH_IN_FLIGHT = 16;
const SIMULATIONS = 1_000;
/** Two tasks of 1 to 2 ms on the event loop: the request path and the run bookkeeping, not the workload, are what is loaded. */
const SMALL_SIMULATION = { mode: 'async', count: 2, minMs: 1, maxMs: 2 };
/** Each phase sends nothing more past this and fails: generous, so only a hang or a collapse trips it, never a slow machine. */
const PHASE_LIMIT_MS = 60_000;
/**
 * How far above its start the coordinator's RSS may be once the load is
 * over. Measured on the 2-core development machine (14 runs, some with the
 * cores busy): RSS starts at 73 to 76 MiB, peaks at 143 to 151 MiB, and right
 * after the load levels off at +51 to +69 MiB, where it stays until V8's
 * memory reducer shrinks the heap some 20 to 30 s later (to about +25 MiB,
 * then the start). That plateau is V8's heap headroom (heap total 32 MiB at
 * the start, 80 to 100 MiB after), not memory held per request: two more
 * rounds of the same load left it at +52 to +75 MiB, no higher. So "near its
 * start" here is the plateau plus some 40%: a coordinator that kept ~2.5 KB
 * or more per request (a socket, a request or response object) would end
 * above it. Smaller leaks are below what RSS can show; the run history, the
 * likeliest one, is checked at the end of the test. A ratio would not fit:
 * 1.5 times the start is below every plateau measured.
 */
const RSS_SLACK_BYTES = 96 * MiB;

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
/** 2xx answers per second over the phase. */
const okPerSecond = ({ statuses, elapsedMs }: BoundedLoadResult) => {
  const ok = Object.entries(statuses).reduce((sum, [status, n]) => (Number(status) >= 200 && Number(status) < 300 ? sum + n : sum), 0);
  return Math.round((ok / elapsedMs) * 1000).toLocaleString('en-US');
};

/** What a phase must come to: every request answered, with this status. */
function expectAll(result: BoundedLoadResult, status: number, count: number, what: string): void {
  const { statuses, networkErrors, notSent, firstNetworkError } = result;
  expect({ statuses, networkErrors, notSent }, `${what}${firstNetworkError ? `; first network error: ${firstNetworkError}` : ''}`).toEqual({
    statuses: { [status]: count },
    networkErrors: 0,
    notSent: 0,
  });
}

/**
 * Bounded load on a real coordinator (issue 8): 10,000 GET /healthz and 1,000
 * small simulations, all answered 2xx, after which it is still ready, keeps no
 * more than its history of runs, and its RSS comes back near its start.
 * Timings are logged, never asserted, beyond the phases' generous limits.
 */
describe('bounded load on the coordinator', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('answers 10,000 GET /healthz and 1,000 small simulations, all 2xx, stays ready, and its RSS comes back near its start', async () => {
    const base = system.baseUrl;
    // The typed client for the calls around the load; the load itself is raw fetch, counted by status, 429s and all.
    const client = createCoordinatorClient({ baseUrl: base });
    const { limits } = await client.simulations();
    // The coordinator answers 429 past its runs at once; the load stays within them, so every answer must be 201.
    const simulationsInFlight = limits.maxRunsInFlight;
    expect(simulationsInFlight).toBeGreaterThanOrEqual(1);

    const rss = () => residentMemoryBytes(base, 'coordinator');
    const start = await rss();
    const peakWatch = watchPeak(rss);

    const health = await sendBounded({
      count: HEALTH_REQUESTS,
      inFlight: HEALTH_IN_FLIGHT,
      timeLimitMs: PHASE_LIMIT_MS,
      send: async (signal) => {
        const response = await fetch(`${base}/healthz`, { signal });
        await response.arrayBuffer();
        return response.status;
      },
    });
    const simulations = await sendBounded({
      count: SIMULATIONS,
      inFlight: simulationsInFlight,
      timeLimitMs: PHASE_LIMIT_MS,
      send: async (signal) => {
        const response = await fetch(`${base}/simulations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(SMALL_SIMULATION),
          signal,
        });
        await response.arrayBuffer();
        return response.status;
      },
    });
    const sampled = await peakWatch.stop();
    const afterLoad = await rss();

    // Memory is judged once the load is over: the last collections may come a moment later, hence a poll, not one reading.
    const bound = start + RSS_SLACK_BYTES;
    let end = afterLoad;
    try {
      expectAll(health, 200, HEALTH_REQUESTS, 'GET /healthz');
      expectAll(simulations, 201, SIMULATIONS, 'POST /simulations');
      await expect
        .poll(
          async () => {
            end = await rss();
            return end;
          },
          { timeout: 10_000, interval: 250 },
        )
        .toBeLessThanOrEqual(bound);
    } finally {
      // For the CI log, passed or not: the figures the issue's closing note and the bench report.
      console.log(
        `bounded load: GET /healthz x ${HEALTH_REQUESTS.toLocaleString('en-US')} in ${(health.elapsedMs / 1000).toFixed(1)} s ` +
          `(${okPerSecond(health)} req/s, ${HEALTH_IN_FLIGHT} in flight); ` +
          `POST /simulations x ${SIMULATIONS.toLocaleString('en-US')} in ${(simulations.elapsedMs / 1000).toFixed(1)} s ` +
          `(${okPerSecond(simulations)} sims/s, ${simulationsInFlight} in flight); ` +
          `coordinator RSS start ${mib(start)}, peak ${mib(Math.max(sampled.peak ?? 0, afterLoad))} (${sampled.samples} samples), ` +
          `end ${mib(end)} (bound ${mib(bound)})`,
      );
    }

    expect((await readyz(base)).status).toBe(200);
    const { runs } = await client.simulations();
    // 1,000 runs went through; it keeps only the most recent (100), all of them over.
    expect(limits.historySize).toBeLessThanOrEqual(100);
    expect(runs).toHaveLength(limits.historySize);
    expect(runs.filter((run) => run.status !== 'finished')).toEqual([]);
  }, 200_000);
});
