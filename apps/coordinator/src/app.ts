import type { CoordinatorConfig } from '@concurrency-lab/config';
import { createServiceApp, finishApp, requireBearerToken } from '@concurrency-lab/http';
import type { Readiness } from '@concurrency-lab/lifecycle';
import type { Logger } from '@concurrency-lab/logger';
import { createMetricsRegistry, metricsHandler, queueRunMetrics, type Registry } from '@concurrency-lab/metrics';
import type { NatsConnection } from '@concurrency-lab/nats';
import type { QueueHandle } from '@concurrency-lab/queue';
import type { SimulationRuns } from '@concurrency-lab/simulation';
import { Router, type Express } from 'express';
import { openApiRoutes } from './openapi.js';
import { QueueRunHistory } from './queue-run-history.js';
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
}

/** Room for 1000 items of 1 KiB or 10,000 short ones; anything larger is refused with 413 before it is parsed. */
const BODY_LIMIT = '1.5mb';

/** Only what starts or cancels work needs the token; reading runs, the page, health and metrics stay open. */
function tokenGuard(token: string): Router {
  const guard = requireBearerToken(token);
  return Router().post('/simulations', guard).delete('/simulations/:id', guard).post('/queue-runs', guard);
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
  app.use(
    queueRunRoutes({ logger, nc, queue, timeoutMs: config.QUEUE_RUN_TIMEOUT_MS, shutdown, metrics: queueRunMetrics(metrics), history: new QueueRunHistory() }),
  );
  return finishApp(app);
}
