import { loadConfigOrExit, writerConfigSchema } from '@concurrency-lab/config';
import { closeHttpServer, createServiceApp, finishApp, startHttpServer } from '@concurrency-lab/http';
import { handleShutdown } from '@concurrency-lab/lifecycle';
import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats } from '@concurrency-lab/nats';
import { openQueue, startWriter } from '@concurrency-lab/queue';

const config = loadConfigOrExit(writerConfigSchema);
const logger = createLogger({ service: 'writer', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });

try {
  const nc = await connectToNats({
    servers: config.NATS_URL,
    user: config.NATS_USER,
    pass: config.NATS_PASSWORD,
    name: `writer-${process.pid}`,
    logger,
  });
  const { js } = await openQueue(nc, 'writer');
  const writer = startWriter({ nc, js, logger });
  const server = await startHttpServer(finishApp(createServiceApp({ logger, service: 'writer' })), {
    host: config.HOST,
    port: config.PORT,
    logger,
  });
  logger.info('writer ready');

  handleShutdown(
    async () => {
      await writer.stop(); // no new runs; a run in flight stops after its current item and reports how far it got
      await closeHttpServer(server);
      await drainNats(nc, logger);
    },
    { logger },
  );
} catch (error) {
  logger.fatal({ err: error }, 'writer failed to start');
  process.exit(1);
}
