import type { Logger } from '@concurrency-lab/logger';
import { HttpProblem, parseBody, requestIdOf } from '@concurrency-lab/http';
import type { NatsConnection } from '@concurrency-lab/nats';
import type { QueueHandle } from '@concurrency-lab/queue';
import { QUEUE_RUN_LIMITS, QueueRunError, queueRunRequestSchema, runQueue, type QueueRunFailure, type QueueRunRequest } from '@concurrency-lab/queue-runs';
import { renderQueueTimeline } from '@concurrency-lab/timeline';
import { Router, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { QueueRunHistory } from '../queue-run-history.js';
import { sendSvg } from './send-svg.js';

export interface QueueRunRoutesOptions {
  logger: Logger;
  nc: NatsConnection;
  queue: QueueHandle;
  timeoutMs: number;
  shutdown: AbortSignal;
  metrics: { runEnded(transport: string, outcome: string): void };
  /** Where finished runs are kept for their timeline. */
  history: QueueRunHistory;
}

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const failureStatus: Record<QueueRunFailure, { status: number; title: string }> = {
  'writer-unavailable': { status: 503, title: 'No writer available' },
  'writer-failed': { status: 502, title: 'Writer failed' },
  timeout: { status: 504, title: 'Queue run timed out' },
  cancelled: { status: 503, title: 'Shutting down' },
  'too-large': { status: 400, title: 'Invalid request' },
};

function problemFor(error: QueueRunError): HttpProblem {
  const { status, title } = failureStatus[error.failure];
  if (error.failure === 'too-large') return HttpProblem.badRequest(`items: ${error.message}`, [{ name: 'items', reason: error.message }]);
  return new HttpProblem(status, title, error.message, { runId: error.runId, failure: error.failure, ...error.progress });
}

/**
 * POST /queue-runs: validate → a writer writes the items → readers read them → the timeline.
 * GET /queue-runs/:id/timeline.svg: that timeline drawn, for the latest finished runs.
 */
export function queueRunRoutes({ logger, nc, queue, timeoutMs, shutdown, metrics, history }: QueueRunRoutesOptions): Router {
  const router = Router();
  let inFlight = 0;
  router.post('/queue-runs', async (request, response) => {
    const body = parseBody(queueRunRequestSchema, request.body);
    if (inFlight >= QUEUE_RUN_LIMITS.maxRunsInFlight) {
      throw new HttpProblem(429, 'Too many queue runs', `at most ${QUEUE_RUN_LIMITS.maxRunsInFlight} queue runs at once; retry shortly`, {}, { 'Retry-After': '5' });
    }
    inFlight++;
    try {
      await runOne(body, request, response);
    } finally {
      inFlight--;
    }
  });

  const runOne = async (body: QueueRunRequest, request: Request, response: Response) => {
    // The run id is settled here, so the request's own log line can name it as well.
    const run = { ...body, runId: body.runId ?? randomUUID() };
    response.locals['runId'] = run.runId;
    const requestId = requestIdOf(request);
    try {
      const report = await runQueue(run, { nc, ...queue, logger: logger.child({ requestId }), requestId, timeoutMs, signal: shutdown });
      metrics.runEnded(run.transport, 'finished');
      history.add(report);
      response.json(report);
    } catch (error) {
      if (error instanceof QueueRunError) {
        metrics.runEnded(run.transport, error.failure);
        throw problemFor(error);
      }
      metrics.runEnded(run.transport, 'error'); // unexpected (NATS down at the start, say): a 500, counted too
      throw error;
    }
  };

  router.get('/queue-runs/:id/timeline.svg', (request, response) => {
    const id = String(request.params['id'] ?? '');
    const report = RUN_ID.test(id) ? history.get(id.toLowerCase()) : undefined;
    if (!report) {
      throw new HttpProblem(404, 'Not found', `no finished queue run ${JSON.stringify(id.slice(0, 64))}; the coordinator keeps the latest ones in memory only`);
    }
    sendSvg(response, renderQueueTimeline(report));
  });

  return router;
}
