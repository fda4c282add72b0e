import { startExpressAnchor } from '../express-anchor.js';
import { loadNote, measureLoad } from '../http-load.js';
import { row, type BenchRow } from '../rows.js';
import type { Cleanup } from '../cleanup.js';
import { joinNotes, logRow, type CaseContext } from './context.js';

/**
 * Requests per second (2xx only) of the coordinator against a bare Express 5
 * server with the same route shape, both as their own processes, driven by
 * autocannon for a bounded time: GET /healthz, and a tiny POST /simulations
 * (sequential, one task of 0 ms) with at most as many connections as the
 * coordinator runs simulations at once.
 */
export async function httpThroughputCase(ctx: CaseContext, cleanup: Cleanup): Promise<BenchRow[]> {
  const { httpSeconds: seconds, healthConnections, simulationConnections } = ctx.plan;
  const express = await startExpressAnchor(cleanup);
  try {
    const simulation = {
      mode: 'sequential',
      tasks: [{ name: 'tiny', durationMs: 0 }],
      ...(ctx.client.waitMsSent === null ? {} : { waitMs: ctx.client.waitMsSent }),
    };
    const routes = [
      {
        id: 'http/healthz',
        route: 'GET /healthz',
        method: 'GET' as const,
        path: '/healthz',
        body: undefined,
        connections: healthConnections,
      },
      {
        id: 'http/post-simulations',
        route: 'POST /simulations',
        method: 'POST' as const,
        path: '/simulations',
        body: simulation,
        connections: simulationConnections,
      },
    ];
    const rows: BenchRow[] = [];
    for (const route of routes) {
      ctx.signal.throwIfAborted();
      const load = { method: route.method, body: route.body, connections: route.connections, seconds };
      const coordinator = await measureLoad({ ...load, url: `${ctx.client.baseUrl}${route.path}` });
      const bare = await measureLoad({ ...load, url: `${express.baseUrl}${route.path}` });
      const built = row({
        id: route.id,
        group: 'http requests/s',
        what: `${route.route}, ${route.connections} connections, ${seconds} s`,
        unit: 'req/s',
        better: 'higher',
        project: coordinator.result?.rps ?? null,
        anchor: { name: 'bare Express 5', value: bare.result?.rps ?? null },
        note: joinNotes(loadNote('coordinator', coordinator.result, coordinator.error), loadNote('express', bare.result, bare.error)),
        params: {
          route: route.route,
          connections: route.connections,
          seconds,
          coordinatorNon2xx: coordinator.result?.non2xx ?? -1,
          expressNon2xx: bare.result?.non2xx ?? -1,
        },
      });
      logRow(ctx, built);
      rows.push(built);
    }
    return rows;
  } finally {
    await express.stop();
  }
}
