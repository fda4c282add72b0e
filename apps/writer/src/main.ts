import { loadConfigOrExit, writerConfigSchema } from '@concurrency-lab/config';
import { closeHttpServer, startServiceServer } from '@concurrency-lab/http';
import { handleShutdown, Readiness } from '@concurrency-lab/lifecycle';
import { createLogger } from '@concurrency-lab/logger';
import { startTracing } from '@concurrency-lab/tracing';
import { connectToNats, drainNats, natsConnectionCheck, serviceConnectOptions } from '@concurrency-lab/nats';
import { createMetricsRegistry, metricsHandler } from '@concurrency-lab/metrics';
import { openQueue, queueReadinessChecks } from '@concurrency-lab/queue';
import { startWriter, writerMetrics } from '@concurrency-lab/queue-writer';

const config = loadConfigOrExit(writerConfigSchema);
const logger = createLogger({ service: 'writer', level: config.LOG_LEVEL, format: config.LOG_FORMAT });

try {
  // First: spans made from here on are exported when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing({ service: 'writer', logger });
  const nc = await connectToNats({ ...serviceConnectOptions('writer', config), logger });
  const { js, jsm } = await openQueue(nc, 'writer', { replicas: config.NATS_REPLICAS });
  const metrics = createMetricsRegistry('writer');
  const writer = startWriter({ nc, js, logger, observer: writerMetrics(metrics) });
  const readiness = new Readiness([natsConnectionCheck(nc), ...queueReadinessChecks(jsm, 'writer')]);
  const server = await startServiceServer({
    logger,
    service: 'writer',
    readiness,
    metrics: metricsHandler(metrics),
    host: config.HOST,
    port: config.PORT,
  });

  handleShutdown(
    async () => {
      readiness.shutDown(); // first: /readyz answers 503 while the work in flight drains
      await writer.stop(); // no new runs; a run in flight stops after its current item and reports how far it got
      await closeHttpServer(server);
      await drainNats(nc, logger);
      await tracing.shutdown(); // last: the spans of the work that just drained go out too
    },
    { logger },
  );
  // Only now: a SIGTERM from here on gets the graceful shutdown above.
  logger.info('writer ready');
} catch (error) {
  logger.fatal({ err: error }, 'writer failed to start');
  process.exit(1);
}
