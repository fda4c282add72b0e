import type { CoordinatorConfig } from '@concurrency-lab/config';
import { createServiceApp, finishApp } from '@concurrency-lab/http';
import type { Logger } from '@concurrency-lab/logger';
import type { NatsConnection } from '@concurrency-lab/nats';
import type { QueueHandle } from '@concurrency-lab/queue';
import type { SimulationRuns } from '@concurrency-lab/simulation';
import type { Express } from 'express';
import { QueueRunHistory } from './queue-run-history.js';
import { pageRoutes } from './routes/page.js';
import { queueRunRoutes } from './routes/queue-runs.js';
import { simulationRoutes } from './routes/simulations.js';

export interface CoordinatorDependencies {
  config: Pick<CoordinatorConfig, 'QUEUE_RUN_TIMEOUT_MS'>;
  logger: Logger;
  nc: NatsConnection;
  queue: QueueHandle;
  runs: SimulationRuns;
  shutdown: AbortSignal;
}

/** Room for 1000 items of 1 KiB or 10,000 short ones; anything larger is refused with 413 before it is parsed. */
const BODY_LIMIT = '1.5mb';

export function createCoordinatorApp({ config, logger, nc, queue, runs, shutdown }: CoordinatorDependencies): Express {
  const app = createServiceApp({ logger, service: 'coordinator', bodyLimit: BODY_LIMIT });
  app.use(pageRoutes());
  app.use(simulationRoutes({ runs, shutdown }));
  app.use(queueRunRoutes({ logger, nc, queue, timeoutMs: config.QUEUE_RUN_TIMEOUT_MS, shutdown, history: new QueueRunHistory() }));
  return finishApp(app);
}
