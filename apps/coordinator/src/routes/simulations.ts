import type { Logger } from '@concurrency-lab/logger';
import { HttpProblem, parseBody, requestIdOf } from '@concurrency-lab/http';
import { runSimulation, SIMULATION_LIMITS, simulationRequestSchema } from '@concurrency-lab/simulation';
import { Router } from 'express';

export interface SimulationRoutesOptions {
  logger: Logger;
  /** Aborted when the coordinator shuts down: running simulations end and their processes are killed. */
  shutdown: AbortSignal;
}

/** POST /simulations: validate → run in the asked mode → the timing report. */
export function simulationRoutes({ logger, shutdown }: SimulationRoutesOptions): Router {
  const router = Router();
  let inFlight = 0;

  router.post('/simulations', async (request, response) => {
    const simulation = parseBody(simulationRequestSchema, request.body);
    if (inFlight >= SIMULATION_LIMITS.maxRunsInFlight) {
      throw new HttpProblem(
        429,
        'Too many simulations',
        `at most ${SIMULATION_LIMITS.maxRunsInFlight} simulations run at once; retry shortly`,
        {},
        { 'Retry-After': '5' },
      );
    }
    inFlight++;
    try {
      const report = await runSimulation(simulation, { logger: logger.child({ requestId: requestIdOf(request) }), signal: shutdown });
      response.json(report);
    } catch (error) {
      if (shutdown.aborted) throw new HttpProblem(503, 'Shutting down', 'the coordinator stopped before the simulation finished');
      throw error;
    } finally {
      inFlight--;
    }
  });
  return router;
}
