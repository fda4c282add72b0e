import type { RequestHandler } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram, type Registry } from 'prom-client';
import { routeTemplateOf } from './route-template.js';

/** GET /metrics (libs/metrics' metricsHandler), carrying the registry it serves, so that requests are timed into the same one. */
export type MetricsEndpoint = ((request: IncomingMessage, response: ServerResponse) => void) & { readonly registry: Registry };

export const REQUEST_DURATION_METRIC = 'http_request_duration_seconds';

/**
 * From sub-millisecond health checks and scrapes to the lesson's runs, which
 * answer in about 15 s (a queue run) to 22 s (the comparison); past 60 s only
 * long runs and event streams, counted in +Inf.
 */
export const REQUEST_DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60];

/** The service's histogram, or the one already in the registry (a second app on the same registry, as tests make). */
function requestDurationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status_code'> {
  const existing = registry.getSingleMetric(REQUEST_DURATION_METRIC);
  if (existing instanceof Histogram) return existing as Histogram<'method' | 'route' | 'status_code'>;
  return new Histogram({
    name: REQUEST_DURATION_METRIC,
    help: 'HTTP requests answered, by method, route template and status code: time from the first middleware to the last byte sent.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: REQUEST_DURATION_BUCKETS,
    registers: [registry],
  });
}

/**
 * Times every answered request into `http_request_duration_seconds`. Cheap on
 * the hot path (GET /healthz is benchmarked against bare Express): a clock
 * read at each end, one listener, and prom-client's observe (a label check
 * and a string key, well under a microsecond). A request the client abandoned
 * before its answer was sent is not counted.
 */
export function requestDuration(registry: Registry): RequestHandler {
  const histogram = requestDurationHistogram(registry);
  return (request, response, next) => {
    const startedAt = performance.now();
    response.once('finish', () => {
      const labels = { method: request.method, route: routeTemplateOf(request), status_code: response.statusCode };
      histogram.observe(labels, (performance.now() - startedAt) / 1000);
    });
    next();
  };
}
