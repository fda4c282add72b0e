import { downloaderConfigSchema, loadConfigOrExit } from '@concurrency-lab/config';
import { downloaderMetrics, downloadsReadinessChecks, openDownloads, startDownloader, type Downloader } from '@concurrency-lab/downloads';
import { closeHttpServer, startServiceServer } from '@concurrency-lab/http';
import { handleShutdown, Readiness } from '@concurrency-lab/lifecycle';
import { createLogger } from '@concurrency-lab/logger';
import { startTracing } from '@concurrency-lab/tracing';
import { createMetricsRegistry, metricsHandler } from '@concurrency-lab/metrics';
import { connectToNats, drainNats, natsConnectionCheck, serviceConnectOptions } from '@concurrency-lab/nats';
import { calibrateCpu } from '@concurrency-lab/simulation';

const config = loadConfigOrExit(downloaderConfigSchema);
const logger = createLogger({ service: 'downloader', level: config.LOG_LEVEL, format: config.LOG_FORMAT });

try {
  // First: spans made from here on are exported when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing({ service: 'downloader', logger });
  // This machine's own calibration: a cpu task of N ms takes about N ms on one of its cores.
  const calibration = calibrateCpu();
  const nc = await connectToNats({ ...serviceConnectOptions('downloader', config), logger });
  const jsm = await openDownloads(nc, 'downloader', { replicas: config.NATS_REPLICAS });
  const metrics = createMetricsRegistry('downloader');
  // The gauge reads downloader.running when Prometheus scrapes, which is only once the server below is up.
  const downloader: Downloader = await startDownloader({
    nc,
    jsm,
    logger,
    concurrency: config.DOWNLOADER_CONCURRENCY,
    iterationsPerMs: calibration.iterationsPerMs,
    observer: downloaderMetrics(metrics, () => downloader.running),
  });
  const readiness = new Readiness([natsConnectionCheck(nc), ...downloadsReadinessChecks(jsm, 'downloader')]);
  const server = await startServiceServer({
    logger,
    service: 'downloader',
    readiness,
    metrics: metricsHandler(metrics),
    host: config.HOST,
    port: config.PORT,
  });

  handleShutdown(
    async () => {
      readiness.shutDown(); // first: /readyz answers 503 while the work in flight is handed back
      await downloader.stop(); // stop pulling; the tasks running go back to the queue at once, for another downloader
      await closeHttpServer(server);
      await drainNats(nc, logger);
      await tracing.shutdown(); // last: the spans of the work that just drained go out too
    },
    { logger },
  );
  // Only now: a SIGTERM from here on gets the graceful shutdown above.
  logger.info({ concurrency: config.DOWNLOADER_CONCURRENCY, calibration }, 'downloader ready');
} catch (error) {
  logger.fatal({ err: error }, 'downloader failed to start');
  process.exit(1);
}
