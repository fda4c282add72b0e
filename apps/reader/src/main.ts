import { loadConfigOrExit, readerConfigSchema } from '@concurrency-lab/config';
import { closeHttpServer, createServiceApp, finishApp, startHttpServer } from '@concurrency-lab/http';
import { handleShutdown } from '@concurrency-lab/lifecycle';
import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats } from '@concurrency-lab/nats';
import { openQueue, startReader } from '@concurrency-lab/queue';

const config = loadConfigOrExit(readerConfigSchema);
const logger = createLogger({ service: 'reader', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });

try {
  const nc = await connectToNats({
    servers: config.NATS_URL,
    user: config.NATS_USER,
    pass: config.NATS_PASSWORD,
    name: `reader-${process.pid}`,
    logger,
  });
  const { js, jsm } = await openQueue(nc, 'reader', { ackWaitMs: config.ACK_WAIT_MS });
  const reader = await startReader({ nc, js, jsm, logger, ackWaitMs: config.ACK_WAIT_MS });
  const server = await startHttpServer(finishApp(createServiceApp({ logger, service: 'reader' })), {
    host: config.HOST,
    port: config.PORT,
    logger,
  });
  logger.info('reader ready');

  handleShutdown(
    async () => {
      await reader.stop(); // finish the item being read, hand back prefetched ones, wait for reports and acks
      await closeHttpServer(server);
      await drainNats(nc, logger);
    },
    { logger },
  );
} catch (error) {
  logger.fatal({ err: error }, 'reader failed to start');
  process.exit(1);
}
