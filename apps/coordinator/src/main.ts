import { coordinatorConfigSchema, loadConfigOrExit } from '@concurrency-lab/config';
import { closeHttpServer, startHttpServer } from '@concurrency-lab/http';
import { handleShutdown } from '@concurrency-lab/lifecycle';
import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats } from '@concurrency-lab/nats';
import { createCoordinatorApp } from './app.js';

const config = loadConfigOrExit(coordinatorConfigSchema);
const logger = createLogger({ service: 'coordinator', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });

try {
  const nc = await connectToNats({ servers: config.NATS_URL, name: `coordinator-${process.pid}`, logger });
  const runs = new AbortController();
  const app = createCoordinatorApp({ config, logger, nc, shutdown: runs.signal });
  const server = await startHttpServer(app, { host: config.HOST, port: config.PORT, logger });

  handleShutdown(
    async () => {
      const closing = closeHttpServer(server); // no new connections from here on
      runs.abort(); // running simulations kill their processes and answer 503; queue runs stop waiting
      await closing;
      await drainNats(nc, logger);
    },
    { logger },
  );
} catch (error) {
  logger.fatal({ err: error }, 'coordinator failed to start');
  process.exit(1);
}
