import { startOtlpReceiver } from '@concurrency-lab/testing';
import type { Cleanup } from '../cleanup.js';
import { row, type BenchRow } from '../rows.js';
import type { BenchSystem } from '../system.js';
import { joinNotes, logRow, type CaseContext } from './context.js';
import { HTTP_ROUNDS, HTTP_SIMULATION, measureRounds, median } from './http-throughput.js';

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * What tracing costs: POST /simulations (the http case's body) against a
 * second coordinator that exports every span over OTLP/HTTP to a receiver on
 * loopback, alternating with the system's own coordinator, which traces
 * nothing (no OTEL_* set). Tracing off has no middleware and no span work at
 * all, so the http case's same-work ratio is what it costs when off.
 */
export async function tracingOverheadCase(ctx: CaseContext, system: BenchSystem, cleanup: Cleanup): Promise<BenchRow[]> {
  const receiver = await startOtlpReceiver();
  const forgetReceiver = cleanup.add('the OTLP receiver', () => receiver.close());
  const traced = await system.startService('coordinator', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
  const forgetTraced = cleanup.add('the traced coordinator', () => traced.stop());
  try {
    const route = { method: 'POST', path: '/simulations', body: HTTP_SIMULATION, connections: ctx.plan.simulationConnections } as const;
    const rounds = await measureRounds(ctx, route, system.urlOf(traced), ctx.client.baseUrl);
    const complete = (results: unknown[]) => results.length === HTTP_ROUNDS;
    const on = complete(rounds.coordinator) ? median(rounds.coordinator.map((r) => r.rps)) : null;
    const off = complete(rounds.anchor) ? median(rounds.anchor.map((r) => r.rps)) : null;
    const each = rounds.coordinator.map((r, i) => `${rate(r.rps)}/${rate(rounds.anchor[i]?.rps ?? 0)}`).join(', ');
    const built = row({
      id: 'tracing/post-simulations',
      group: 'tracing',
      what: `POST /simulations, tracing on (every span exported) vs off, ${route.connections} connections, median of ${HTTP_ROUNDS} x ${ctx.plan.httpSeconds} s`,
      unit: 'req/s',
      better: 'higher',
      project: on,
      anchor: { name: 'the same coordinator, tracing off', value: off },
      note: joinNotes(
        rounds.error && `n/a: ${rounds.error}`,
        each && `rounds on/off req/s: ${each}`,
        `${receiver.spans.length} spans received`,
      ),
      params: { connections: route.connections, seconds: ctx.plan.httpSeconds, rounds: HTTP_ROUNDS, spans: receiver.spans.length },
    });
    logRow(ctx, built);
    return [built];
  } finally {
    await traced.stop();
    forgetTraced();
    await receiver.close();
    forgetReceiver();
  }
}
