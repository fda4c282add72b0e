import type { Logger } from '@concurrency-lab/logger';
import { HttpProblem, parseBody, requestIdOf } from '@concurrency-lab/http';
import { natsUnavailableReason, type NatsConnection } from '@concurrency-lab/nats';
import type { QueueHandle } from '@concurrency-lab/queue';
import {
  QueueRunError,
  queueRunRequestSchema,
  runQueue,
  type QueueRunFailure,
  type QueueRuns,
  type QueueRunView,
} from '@concurrency-lab/queue-runs';
import { RunRecordsUnavailableError } from '@concurrency-lab/run-records';
import { parseRunId } from '@concurrency-lab/runs';
import { renderQueueTimeline } from '@concurrency-lab/timeline';
import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { startOr429 } from './run-problems.js';
import { sendSvg } from './send-svg.js';

export interface QueueRunRoutesOptions {
  logger: Logger;
  nc: NatsConnection;
  queue: QueueHandle;
  timeoutMs: number;
  shutdown: AbortSignal;
  /** The runs in flight, their limit and metrics, and the finished ones kept for their timeline. */
  runs: QueueRuns;
}

const failureStatus: Record<QueueRunFailure, { status: number; title: string }> = {
  'writer-unavailable': { status: 503, title: 'No writer available' },
  'writer-failed': { status: 502, title: 'Writer failed' },
  timeout: { status: 504, title: 'Queue run timed out' },
  cancelled: { status: 503, title: 'Shutting down' },
  'too-large': { status: 400, title: 'Invalid request' },
};

function problemFor(error: unknown): unknown {
  if (!(error instanceof QueueRunError)) {
    // NATS unreachable, or JetStream without a quorum (two of three nodes down): try again soon. Anything else is a 500.
    const unavailable = natsUnavailableReason(error);
    return unavailable
      ? new HttpProblem(503, 'NATS unavailable', `the queue run could not go on: ${unavailable}`, {}, { 'Retry-After': '5' })
      : error;
  }
  const { status, title } = failureStatus[error.failure];
  if (error.failure === 'too-large') return HttpProblem.badRequest(`items: ${error.message}`, [{ name: 'items', reason: error.message }]);
  return new HttpProblem(status, title, error.message, { runId: error.runId, failure: error.failure, ...error.progress });
}

const KEPT = 'this coordinator keeps its latest finished runs in memory, the run records every run of the last 24 h';

/** The run a path names, in memory or from its record; a malformed id is no run (404, as for simulations). */
async function queueRunOf(runs: QueueRuns, request: Request): Promise<{ raw: string; view: QueueRunView | undefined }> {
  const raw = String(request.params['id'] ?? '');
  const runId = parseRunId(raw);
  if (!runId) return { raw, view: undefined };
  try {
    return { raw, view: await runs.find(runId) };
  } catch (error) {
    if (error instanceof RunRecordsUnavailableError) {
      throw new HttpProblem(
        503,
        'Run records unavailable',
        `queue run ${runId} is not in this coordinator's memory and ${error.message}`,
        {},
        { 'Retry-After': '5' },
      );
    }
    throw error;
  }
}

/**
 * POST /queue-runs: validate → a writer writes the items → readers read them → the timeline.
 * GET /queue-runs/:id: the run as far as it got, its report once finished; from its record when not in memory.
 * GET /queue-runs/:id/timeline.svg: that timeline drawn, for finished runs.
 */
export function queueRunRoutes({ logger, nc, queue, timeoutMs, shutdown, runs }: QueueRunRoutesOptions): Router {
  const router = Router();
  router.post('/queue-runs', async (request, response) => {
    const body = parseBody(queueRunRequestSchema, request.body);
    // The run id is settled here, so the request's own log line can name it as well.
    const run = { ...body, runId: body.runId ?? randomUUID() };
    const requestId = requestIdOf(request);
    const running = startOr429('Too many queue runs', () =>
      runs.run(run, () => runQueue(run, { nc, ...queue, logger: logger.child({ requestId }), requestId, timeoutMs, signal: shutdown })),
    );
    response.locals['runId'] = run.runId;
    response.json(await running.catch((error: unknown) => Promise.reject(problemFor(error))));
  });

  router.get('/queue-runs/:id', async (request, response) => {
    const { raw, view } = await queueRunOf(runs, request);
    if (!view) throw new HttpProblem(404, 'Not found', `no queue run ${JSON.stringify(raw.slice(0, 64))}; ${KEPT}`);
    response.json(view);
  });

  router.get('/queue-runs/:id/timeline.svg', async (request, response) => {
    const { raw, view } = await queueRunOf(runs, request);
    if (!view?.report) {
      const status = view ? ` (it is ${view.status})` : '';
      throw new HttpProblem(404, 'Not found', `no finished queue run ${JSON.stringify(raw.slice(0, 64))}${status}; ${KEPT}`);
    }
    sendSvg(response, renderQueueTimeline(view.report));
  });

  return router;
}
