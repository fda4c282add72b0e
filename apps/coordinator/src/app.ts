import type { CoordinatorConfig } from '@concurrency-lab/config';
import { createServiceApp, finishApp, requireBearerToken } from '@concurrency-lab/http';
import type { Readiness } from '@concurrency-lab/lifecycle';
import type { Logger } from '@concurrency-lab/logger';
import { createMetricsRegistry, metricsHandler, type Registry } from '@concurrency-lab/metrics';
import type { NatsConnection } from '@concurrency-lab/nats';
import type { QueueHandle } from '@concurrency-lab/queue';
import { queueRunMetrics, QueueRuns } from '@concurrency-lab/queue-runs';
import type { SimulationRuns } from '@concurrency-lab/simulation';
import type { Express, RequestHandler } from 'express';
import { openApiRoutes } from './openapi.js';
import { pageRoutes } from './routes/page.js';
import { queueRunRoutes } from './routes/queue-runs.js';
import { simulationRoutes } from './routes/simulations.js';

export interface CoordinatorDependencies {
  config: Pick<CoordinatorConfig, 'QUEUE_RUN_TIMEOUT_MS' | 'COORDINATOR_TOKEN'>;
  logger: Logger;
  nc: NatsConnection;
  queue: QueueHandle;
  runs: SimulationRuns;
  shutdown: AbortSignal;
  /** Answers GET /readyz. */
  readiness?: Readiness;
  /** Served at GET /metrics, with the queue-run metrics added; a registry of its own when not given. */
  metrics?: Registry;
  /** The queue runs (main gives them the run records); in memory only, with the metrics, when not given. */
  queueRuns?: QueueRuns;
}

/** Room for 1000 items of 1 KiB or 10,000 short ones; anything larger is refused with 413 before it is parsed. */
const BODY_LIMIT = '1.5mb';

/** Methods that only read: runs, the page, the API document, health and metrics stay open. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every other method needs the token: whatever starts, changes or cancels
 * work, including a route added later, is guarded without being listed here.
 */
function tokenGuard(token: string): RequestHandler {
  const guard = requireBearerToken(token);
  return (request, response, next) => (READ_METHODS.has(request.method) ? next() : guard(request, response, next));
}

export function createCoordinatorApp(dependencies: CoordinatorDependencies): Express {
  const { config, logger, nc, queue, runs, shutdown, readiness } = dependencies;
  const metrics = dependencies.metrics ?? createMetricsRegistry('coordinator');
  const app = createServiceApp({
    logger,
    service: 'coordinator',
    bodyLimit: BODY_LIMIT,
    ...(readiness ? { readiness } : {}),
    metrics: metricsHandler(metrics),
    ...(config.COORDINATOR_TOKEN ? { beforeBody: tokenGuard(config.COORDINATOR_TOKEN) } : {}),
  });
  app.use(pageRoutes());
  app.use(openApiRoutes());
  app.use(simulationRoutes({ runs, shutdown }));
  const queueRuns = dependencies.queueRuns ?? new QueueRuns({ observer: queueRunMetrics(metrics) });
  app.use(queueRunRoutes({ logger, nc, queue, timeoutMs: config.QUEUE_RUN_TIMEOUT_MS, shutdown, runs: queueRuns }));
  return finishApp(app);
}
