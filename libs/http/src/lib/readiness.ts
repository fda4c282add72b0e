import { checkResultSchema, type Readiness } from '@concurrency-lab/lifecycle';
import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem, sendProblem } from './problem.js';

/** GET /readyz's 200 answer; its 503 is a problem with the same checks. */
export const readyAnswerSchema = z
  .strictObject({ status: z.literal('ready'), checks: z.record(z.string(), checkResultSchema) })
  .meta({ id: 'Ready', description: 'Every check passed: the service can take work.' });

/**
 * GET /readyz: 200 `{"status":"ready","checks":{...}}` when the service can
 * take work; 503 problem+json naming the failing checks otherwise. Never
 * cached by anyone in between: the answer is about this moment.
 */
export function readinessRouter(readiness: Readiness): Router {
  const router = Router();
  router.get('/readyz', async (request, response) => {
    const { ready, checks } = await readiness.report();
    response.setHeader('Cache-Control', 'no-store');
    if (ready) {
      response.json({ status: 'ready', checks });
      return;
    }
    const failing = Object.entries(checks).flatMap(([name, result]) =>
      result.status === 'failed' ? [{ name, reason: result.reason }] : [],
    );
    const detail = failing.map(({ name, reason }) => `${name}: ${reason}`).join('; ');
    sendProblem(
      response,
      new HttpProblem(503, 'Not ready', detail, { failing: failing.map(({ name }) => name), checks }),
      request.originalUrl,
    );
  });
  return router;
}
