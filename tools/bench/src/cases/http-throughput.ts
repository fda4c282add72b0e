import { startExpressAnchor } from '../express-anchor.js';
import { loadNote, runLoad, type LoadOptions, type LoadResult } from '../http-load.js';
import { reasonOf, row, type BenchRow } from '../rows.js';
import type { Cleanup } from '../cleanup.js';
import { joinNotes, logRow, type CaseContext } from './context.js';

/**
 * The body POST /simulations is measured with: two async tasks of 1 and 2 ms,
 * so each request waits on two timers (as the same-work anchor does) and the
 * rest is the coordinator's own path: validation, the run registry, the
 * engine, the report, the run records, the answer.
 */
export const HTTP_SIMULATION = {
  mode: 'async',
  tasks: [
    { name: 'a.bin', durationMs: 1 },
    { name: 'b.bin', durationMs: 2 },
  ],
} as const;

/** Rounds per route, coordinator and anchor alternating (which goes first swaps each round); the rows give the medians. */
export const HTTP_ROUNDS = 3;
/** Requests each server answers on each route before the rounds, not counted, so neither is measured cold. */
const WARM_UP_REQUESTS = 200;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

interface RouteLoad {
  id: string;
  route: string;
  method: 'GET' | 'POST';
  path: string;
  body: unknown;
  connections: number;
  anchorName: string;
}

export interface Rounds {
  coordinator: LoadResult[];
  anchor: LoadResult[];
  error?: string;
}

/** The rounds of one route, alternating servers (the project's at projectBaseUrl); the first failure ends them, with its reason. */
export async function measureRounds(
  ctx: CaseContext,
  route: Pick<RouteLoad, 'method' | 'path' | 'body' | 'connections'>,
  projectBaseUrl: string,
  anchorBaseUrl: string,
): Promise<Rounds> {
  const load = {
    method: route.method,
    body: route.body,
    connections: route.connections,
    seconds: ctx.plan.httpSeconds,
    signal: ctx.signal,
  };
  const coordinator: LoadOptions = { ...load, url: `${projectBaseUrl}${route.path}` };
  const anchor: LoadOptions = { ...load, url: `${anchorBaseUrl}${route.path}` };
  const rounds: Rounds = { coordinator: [], anchor: [] };
  try {
    for (const options of [coordinator, anchor]) await runLoad({ ...options, amount: WARM_UP_REQUESTS, seconds: 20 });
    for (let round = 0; round < HTTP_ROUNDS; round++) {
      ctx.signal.throwIfAborted();
      const order = round % 2 === 0 ? ['coordinator', 'anchor'] : ['anchor', 'coordinator'];
      for (const who of order) {
        if (who === 'coordinator') rounds.coordinator.push(await runLoad(coordinator));
        else rounds.anchor.push(await runLoad(anchor));
      }
    }
  } catch (error) {
    ctx.signal.throwIfAborted();
    rounds.error = reasonOf(error);
  }
  return rounds;
}

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

function roundsRow(ctx: CaseContext, route: RouteLoad, rounds: Rounds, extraNote?: string): BenchRow {
  const seconds = ctx.plan.httpSeconds;
  const project = rounds.coordinator.length === HTTP_ROUNDS ? median(rounds.coordinator.map((r) => r.rps)) : null;
  const anchor = rounds.anchor.length === HTTP_ROUNDS ? median(rounds.anchor.map((r) => r.rps)) : null;
  const each = rounds.coordinator
    .map((c, i) => {
      const a = rounds.anchor[i];
      return a ? `${rate(c.rps)}/${rate(a.rps)}` : '';
    })
    .filter(Boolean)
    .join(', ');
  const last = (results: LoadResult[]) => results.at(-1) ?? null;
  const non2xx = (results: LoadResult[]) => results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
  return row({
    id: route.id,
    group: 'http requests/s',
    what: `${route.route}, ${route.connections} connections, median of ${HTTP_ROUNDS} x ${seconds} s`,
    unit: 'req/s',
    better: 'higher',
    project,
    anchor: { name: route.anchorName, value: anchor },
    note: joinNotes(
      rounds.error && `n/a: ${rounds.error}`,
      each && `rounds coordinator/anchor req/s: ${each}`,
      loadNote('coordinator (last round)', last(rounds.coordinator), undefined),
      loadNote('express (last round)', last(rounds.anchor), undefined),
      extraNote,
    ),
    params: {
      route: route.route,
      connections: route.connections,
      seconds,
      rounds: HTTP_ROUNDS,
      coordinatorNon2xx: rounds.coordinator.length ? non2xx(rounds.coordinator) : -1,
      expressNon2xx: rounds.anchor.length ? non2xx(rounds.anchor) : -1,
    },
  });
}

/** The coordinator's answer to the body (201 with its report), which the same-work anchor answers with too. */
async function coordinatorReport(ctx: CaseContext, body: unknown): Promise<{ report: unknown; bytes: number }> {
  const response = await fetch(`${ctx.client.baseUrl}/simulations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /simulations answered ${response.status}: ${text.slice(0, 200)}`);
  return { report: JSON.parse(text) as unknown, bytes: Buffer.byteLength(text) };
}

/**
 * Requests per second (2xx only), the median of alternating rounds, each
 * server its own process, driven by autocannon for a bounded time:
 * GET /healthz against bare Express, and POST /simulations (HTTP_SIMULATION,
 * with at most as many connections as the coordinator runs simulations at
 * once) against an Express handler doing the same work: the same two timers
 * and an answer of the same size (the coordinator's own report).
 */
export async function httpThroughputCase(ctx: CaseContext, cleanup: Cleanup): Promise<BenchRow[]> {
  const { healthConnections, simulationConnections } = ctx.plan;
  const simulation = { ...HTTP_SIMULATION, ...(ctx.client.waitMsSent === null ? {} : { waitMs: ctx.client.waitMsSent }) };
  let sample: { report: unknown; bytes: number } | undefined;
  let sampleError: string | undefined;
  try {
    sample = await coordinatorReport(ctx, simulation);
  } catch (error) {
    ctx.signal.throwIfAborted();
    sampleError = `same-work anchor n/a: ${reasonOf(error)}`;
  }
  const express = await startExpressAnchor(cleanup, sample ? { report: sample.report } : {});
  try {
    const routes: RouteLoad[] = [
      {
        id: 'http/healthz',
        route: 'GET /healthz',
        method: 'GET',
        path: '/healthz',
        body: undefined,
        connections: healthConnections,
        anchorName: 'bare Express 5',
      },
      {
        id: 'http/post-simulations',
        route: 'POST /simulations',
        method: 'POST',
        path: '/simulations',
        body: simulation,
        connections: simulationConnections,
        anchorName: 'same-work Express 5',
      },
    ];
    const rows: BenchRow[] = [];
    for (const route of routes) {
      ctx.signal.throwIfAborted();
      const sameWork = route.path === '/simulations';
      const rounds =
        sameWork && !sample ? { coordinator: [], anchor: [] } : await measureRounds(ctx, route, ctx.client.baseUrl, express.baseUrl);
      const extra = sameWork ? (sample ? `answers of ${sample.bytes} bytes, 2 async tasks of 1 and 2 ms` : sampleError) : undefined;
      const built = roundsRow(ctx, route, rounds, extra);
      logRow(ctx, built);
      rows.push(built);
    }
    return rows;
  } finally {
    await express.stop();
  }
}
