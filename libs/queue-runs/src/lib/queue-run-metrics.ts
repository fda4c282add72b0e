import { Counter, type Registry } from 'prom-client';

/** The coordinator's queue-run metrics. */
export function queueRunMetrics(registry: Registry): { runEnded(transport: string, outcome: string): void } {
  const runs = new Counter({
    name: 'lab_queue_runs_total',
    help: 'Queue runs ended, by transport and outcome (finished; the failure: writer-unavailable, writer-failed, timeout, cancelled, too-large; or error, an unexpected one).',
    labelNames: ['transport', 'outcome'] as const,
    registers: [registry],
  });
  return { runEnded: (transport, outcome) => runs.inc({ transport, outcome }) };
}
