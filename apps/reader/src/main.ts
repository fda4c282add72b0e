import { loadConfigOrExit, readerConfigSchema } from '@concurrency-lab/config';
import { closeHttpServer, startServiceServer } from '@concurrency-lab/http';
import { handleShutdown, Readiness } from '@concurrency-lab/lifecycle';
import { createLogger } from '@concurrency-lab/logger';
import { startTracing } from '@concurrency-lab/tracing';
import { connectToNats, drainNats, natsConnectionCheck, serviceConnectOptions } from '@concurrency-lab/nats';
import { createMetricsRegistry, metricsHandler } from '@concurrency-lab/metrics';
import { consumerLag, openQueue, queueReadinessChecks } from '@concurrency-lab/queue';
import { readerMetrics, startReader } from '@concurrency-lab/queue-reader';

const config = loadConfigOrExit(readerConfigSchema);
const logger = createLogger({ service: 'reader', level: config.LOG_LEVEL, format: config.LOG_FORMAT });

try {
  // First: spans made from here on are exported when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing({ service: 'reader', logger });
  const nc = await connectToNats({ ...serviceConnectOptions('reader', config), logger });
  const { js, jsm } = await openQueue(nc, 'reader', { ackWaitMs: config.ACK_WAIT_MS, replicas: config.NATS_REPLICAS });
  const metrics = createMetricsRegistry('reader');
  const observer = readerMetrics(metrics, () => consumerLag(jsm));
  const reader = await startReader({ nc, js, jsm, logger, ackWaitMs: config.ACK_WAIT_MS, replicas: config.NATS_REPLICAS, observer });
  const readiness = new Readiness([natsConnectionCheck(nc), ...queueReadinessChecks(jsm, 'reader')]);
  const server = await startServiceServer({
    logger,
    service: 'reader',
    readiness,
    metrics: metricsHandler(metrics),
    host: config.HOST,
    port: config.PORT,
  });

  handleShutdown(
    async () => {
      readiness.shutDown(); // first: /readyz answers 503 while the work in flight drains
      await reader.stop(); // cut the read in progress short and hand its item back, wait for reports and acks
      await closeHttpServer(server);
      await drainNats(nc, logger);
      await tracing.shutdown(); // last: the spans of the work that just drained go out too
    },
    { logger },
  );
  // Only now: a SIGTERM from here on gets the graceful shutdown above.
  logger.info('reader ready');
} catch (error) {
  logger.fatal({ err: error }, 'reader failed to start');
  process.exit(1);
}
