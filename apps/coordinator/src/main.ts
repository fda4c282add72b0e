import { coordinatorConfigSchema, loadConfigOrExit } from '@concurrency-lab/config';
import { closeHttpServer, startHttpServer } from '@concurrency-lab/http';
import { handleShutdown, Readiness } from '@concurrency-lab/lifecycle';
import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats, natsConnectionCheck, serviceConnectOptions } from '@concurrency-lab/nats';
import { createMetricsRegistry } from '@concurrency-lab/metrics';
import { openQueue, queueReadinessChecks } from '@concurrency-lab/queue';
import { SimulationEngine, simulationMetrics, SimulationRuns } from '@concurrency-lab/simulation';
import { createCoordinatorApp } from './app.js';

const config = loadConfigOrExit(coordinatorConfigSchema);
const logger = createLogger({ service: 'coordinator', level: config.LOG_LEVEL, format: config.LOG_FORMAT });

try {
  const engine = SimulationEngine.start({
    logger,
    logFormat: config.LOG_FORMAT,
    ...(config.POOL_SIZE ? { poolSize: config.POOL_SIZE } : {}),
  });
  const metrics = createMetricsRegistry('coordinator');
  const runs = new SimulationRuns(engine, logger, { onRunEnded: simulationMetrics(metrics) });
  const nc = await connectToNats({ ...serviceConnectOptions('coordinator', config), logger });
  const queue = await openQueue(nc, 'coordinator', { replicas: config.NATS_REPLICAS });
  const readiness = new Readiness([natsConnectionCheck(nc), ...queueReadinessChecks(queue.jsm, 'coordinator')]);
  const shutdown = new AbortController();
  const app = createCoordinatorApp({ config, logger, nc, queue, runs, shutdown: shutdown.signal, readiness, metrics });
  const server = await startHttpServer(app, { host: config.HOST, port: config.PORT, logger });

  handleShutdown(
    async () => {
      readiness.shutDown(); // first: /readyz answers 503 from here on
      const closing = closeHttpServer(server); // no new connections from here on
      shutdown.abort(); // queue runs stop waiting; their items stay in the stream
      await runs.cancelAll('coordinator shutting down'); // simulations end, their processes and threads with them
      await engine.close(); // the warm pool's workers
      await closing;
      await drainNats(nc, logger);
    },
    { logger },
  );
} catch (error) {
  logger.fatal({ err: error }, 'coordinator failed to start');
  process.exit(1);
}
