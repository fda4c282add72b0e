import { closeHttpServer, startHttpServer } from '@concurrency-lab/http';
import { Readiness } from '@concurrency-lab/lifecycle';
import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats, natsConnectionCheck } from '@concurrency-lab/nats';
import { openQueue, queueReadinessChecks } from '@concurrency-lab/queue';
import { QueueRuns } from '@concurrency-lab/queue-runs';
import { openRunRecords, thisProcessAsOwner } from '@concurrency-lab/run-records';
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
  queueRuns: QueueRuns;
  /** The Express app itself, for specs that read its route table. */
  app: Express;
  /** Its GET /readyz, with the coordinator's own checks. */
  readiness: Readiness;
  stop(): Promise<void>;
}

/**
 * The coordinator's app on a free loopback port, over a real nats-server
 * (its own, or the one given: a second coordinator beside the first), with the
 * run records as main wires them, a one-worker pool and a fixed cpu
 * calibration (no calibrating at start). For specs that exercise the HTTP API in-process.
 */
export async function startSpecCoordinator(options: { token?: string; natsUrl?: string } = {}): Promise<SpecCoordinator> {
  const logger = createLogger({ service: 'coordinator', destination: new PassThrough() });
  const nats = options.natsUrl ? undefined : await startNatsServer();
  const natsUrl = options.natsUrl ?? nats?.url ?? '';
  const nc = await connectToNats({ servers: natsUrl, name: 'coordinator-spec', logger });
  const engine = SimulationEngine.start({ logger, poolSize: 1, calibration: { iterationsPerMs: 100_000, tookMs: 0, calibratedAt: '' } });
  const shutdown = new AbortController();
  const queue = await openQueue(nc, 'coordinator');
  const records = { store: await openRunRecords(nc, { logger }), owner: thisProcessAsOwner() };
  const runs = new SimulationRuns(engine, logger, { records });
  const queueRuns = new QueueRuns({ records: { ...records, logger } });
  const readiness = new Readiness([natsConnectionCheck(nc), ...queueReadinessChecks(queue.jsm, 'coordinator')]);
  const config = { QUEUE_RUN_TIMEOUT_MS: 5_000, ...(options.token ? { COORDINATOR_TOKEN: options.token } : {}) };
  const app = createCoordinatorApp({ config, logger, nc, queue, runs, queueRuns, shutdown: shutdown.signal, readiness });
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0, logger });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    natsUrl,
    runs,
    queueRuns,
    app,
    readiness,
    async stop() {
      shutdown.abort();
      await runs.cancelAll('spec over');
      await engine.close();
      await closeHttpServer(server);
      await Promise.all([runs.recordsWritten(), queueRuns.recordsWritten()]);
      await drainNats(nc, logger);
      await nats?.stop();
    },
  };
}
