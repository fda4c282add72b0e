import { coordinatorConfigSchema, loadConfigOrExit } from '@concurrency-lab/config';
import { downloadsReadinessChecks, NatsTaskDispatcher, openDownloads } from '@concurrency-lab/downloads';
import { closeHttpServer, startHttpServer } from '@concurrency-lab/http';
import { handleShutdown, Readiness } from '@concurrency-lab/lifecycle';
import { createLogger } from '@concurrency-lab/logger';
import { startTracing } from '@concurrency-lab/tracing';
import { connectToNats, drainNats, natsConnectionCheck, serviceConnectOptions } from '@concurrency-lab/nats';
import { createMetricsRegistry } from '@concurrency-lab/metrics';
import { openQueue, queueReadinessChecks } from '@concurrency-lab/queue';
import { queueRunMetrics, QueueRuns } from '@concurrency-lab/queue-runs';
import { openRunRecords, RUN_RECORDS_BUCKET, thisProcessAsOwner } from '@concurrency-lab/run-records';
import { SimulationEngine, simulationMetrics, SimulationRuns } from '@concurrency-lab/simulation';
import { createCoordinatorApp } from './app.js';

/** How long shutdown waits for the last run records: with NATS down each write could wait out its 5 s, past the 8 s grace. */
const RECORDS_GRACE_MS = 3_000;

const config = loadConfigOrExit(coordinatorConfigSchema);

const logger = createLogger({ service: 'coordinator', level: config.LOG_LEVEL, format: config.LOG_FORMAT });

async function recordsWrittenWithin(ms: number, writes: Promise<void>[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const written = await Promise.race([
    Promise.all(writes).then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  if (!written) logger.warn({ waitedMs: ms }, 'shutdown stops waiting for run records still being written; they are lost');
}

try {
  // First: spans made from here on are exported when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing({ service: 'coordinator', logger });
  const nc = await connectToNats({ ...serviceConnectOptions('coordinator', config), logger });
  const queue = await openQueue(nc, 'coordinator', { replicas: config.NATS_REPLICAS });
  const downloads = await openDownloads(nc, 'coordinator', { replicas: config.NATS_REPLICAS });
  const engine = SimulationEngine.start({
    logger,
    logFormat: config.LOG_FORMAT,
    ...(config.POOL_SIZE ? { poolSize: config.POOL_SIZE } : {}),
    // Distributed mode hands its tasks to downloaders over this connection.
    dispatcher: new NatsTaskDispatcher({ nc, logger }),
  });
  const metrics = createMetricsRegistry('coordinator');
  // Every run recorded in the bucket lab-runs as it starts and ends, so it outlives this process and any coordinator can answer it.
  const records = { store: await openRunRecords(nc, { logger, replicas: config.NATS_REPLICAS }), owner: thisProcessAsOwner() };
  logger.info({ bucket: RUN_RECORDS_BUCKET, instance: records.owner.instance }, 'run records open');
  const runs = new SimulationRuns(engine, logger, { onRunEnded: simulationMetrics(metrics), records });
  const queueRuns = new QueueRuns({ observer: queueRunMetrics(metrics), records: { ...records, logger } });
  const readiness = new Readiness([
    natsConnectionCheck(nc),
    ...queueReadinessChecks(queue.jsm, 'coordinator'),
    ...downloadsReadinessChecks(downloads, 'coordinator'),
  ]);
  const shutdown = new AbortController();
  const app = createCoordinatorApp({ config, logger, nc, queue, runs, queueRuns, shutdown: shutdown.signal, readiness, metrics });
  const server = await startHttpServer(app, { host: config.HOST, port: config.PORT, logger });

  handleShutdown(
    async () => {
      readiness.shutDown(); // first: /readyz answers 503 from here on
      const closing = closeHttpServer(server); // no new connections from here on
      shutdown.abort(); // queue runs stop waiting; their items stay in the stream
      await runs.cancelAll('coordinator shutting down'); // simulations end, their processes and threads with them
      await engine.close(); // the warm pool's workers
      await closing;
      await recordsWrittenWithin(RECORDS_GRACE_MS, [runs.recordsWritten(), queueRuns.recordsWritten()]); // the ended runs' records, before NATS goes
      await drainNats(nc, logger);
      await tracing.shutdown(); // last: the spans of the work that just drained go out too
    },
    { logger },
  );
} catch (error) {
  logger.fatal({ err: error }, 'coordinator failed to start');
  process.exit(1);
}
