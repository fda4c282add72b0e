import { collectDefaultMetrics, Registry } from 'prom-client';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A service's own registry (not prom-client's global one, so two services in
 * one test process never share counters), labelled with the service's name,
 * with Node's process metrics: CPU, memory, event-loop lag, handles, GC.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** GET /metrics, as a plain handler that also names its registry: libs/http times each request into the same one. */
export type MetricsHandler = ((request: IncomingMessage, response: ServerResponse) => void) & { readonly registry: Registry };

/** GET /metrics in Prometheus's text format; works as an Express handler. */
export function metricsHandler(registry: Registry): MetricsHandler {
  const handler = (_request: IncomingMessage, response: ServerResponse) => {
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        response.end(text);
      },
      () => {
        // A collector failed (NATS down while asking for the consumer's lag): say so plainly, no internals.
        response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('metrics unavailable: a collector failed\n');
      },
    );
  };
  return Object.assign(handler, { registry });
}
