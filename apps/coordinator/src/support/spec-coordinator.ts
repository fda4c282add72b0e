import { closeHttpServer, startHttpServer } from '@concurrency-lab/http';
import { Readiness } from '@concurrency-lab/lifecycle';
import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats, natsConnectionCheck } from '@concurrency-lab/nats';
import { openQueue, queueReadinessChecks } from '@concurrency-lab/queue';
import { SimulationEngine, SimulationRuns } from '@concurrency-lab/simulation';
import { startNatsServer } from '@concurrency-lab/testing';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { createCoordinatorApp } from '../app.js';

export interface SpecCoordinator {
  base: string;
  /** The nats-server the coordinator talks to, for a spec's own stand-in writer or reader. */
  natsUrl: string;
  runs: SimulationRuns;
  /** The Express app itself, for specs that read its route table. */
  app: Express;
  /** Its GET /readyz, with the coordinator's own checks. */
  readiness: Readiness;
  stop(): Promise<void>;
}

/**
 * The coordinator's app on a free loopback port, over a real nats-server,
 * with a one-worker pool and a fixed cpu calibration (no calibrating at start).
 * For specs that exercise the HTTP API in-process.
 */
export async function startSpecCoordinator(options: { token?: string } = {}): Promise<SpecCoordinator> {
  const logger = createLogger({ service: 'coordinator', destination: new PassThrough() });
  const nats = await startNatsServer();
  const nc = await connectToNats({ servers: nats.url, name: 'coordinator-spec', logger });
  const engine = SimulationEngine.start({ logger, poolSize: 1, calibration: { iterationsPerMs: 100_000, tookMs: 0, calibratedAt: '' } });
  const runs = new SimulationRuns(engine, logger);
  const shutdown = new AbortController();
  const queue = await openQueue(nc, 'coordinator');
  const readiness = new Readiness([natsConnectionCheck(nc), ...queueReadinessChecks(queue.jsm, 'coordinator')]);
  const config = { QUEUE_RUN_TIMEOUT_MS: 5_000, ...(options.token ? { COORDINATOR_TOKEN: options.token } : {}) };
  const app = createCoordinatorApp({ config, logger, nc, queue, runs, shutdown: shutdown.signal, readiness });
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0, logger });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    natsUrl: nats.url,
    runs,
    app,
    readiness,
    async stop() {
      shutdown.abort();
      await runs.cancelAll('spec over');
      await engine.close();
      await closeHttpServer(server);
      await drainNats(nc, logger);
      await nats.stop();
    },
  };
}
