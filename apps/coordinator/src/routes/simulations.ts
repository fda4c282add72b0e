import { HttpProblem, openEventStream, parseBody, requestIdOf } from '@concurrency-lab/http';
import { RunRecordsUnavailableError } from '@concurrency-lab/run-records';
import { parseRunId } from '@concurrency-lab/runs';
import {
  ModeUnavailableError,
  planSimulation,
  PlanLimitError,
  type RunView,
  type SimulationEvent,
  type SimulationPlan,
  type SimulationRuns,
} from '@concurrency-lab/simulation';
import {
  renderSimulationTimeline,
  simulationTimelineFromEvents,
  simulationTimelineFromReport,
  type SimulationTimeline,
} from '@concurrency-lab/timeline';
import { Router, type Request } from 'express';
import { SIMULATION_API_LIMITS as SIMULATION_LIMITS, simulationBodySchema } from '../simulation-api.js';
import { startOr429 } from './run-problems.js';
import { sendSvg } from './send-svg.js';

export interface SimulationRoutesOptions {
  runs: SimulationRuns;
  /** Aborted when the coordinator shuts down. */
  shutdown: AbortSignal;
}

function planOf(body: unknown): { plan: SimulationPlan; waitMs: number } {
  const request = parseBody(simulationBodySchema, body);
  try {
    return { plan: planSimulation(request), waitMs: request.waitMs };
  } catch (error) {
    if (error instanceof PlanLimitError) throw HttpProblem.badRequest(error.message, [{ name: error.field, reason: error.reason }]);
    throw error;
  }
}

function runIdOf(request: Request): string {
  const raw = String(request.params['id'] ?? '');
  const id = parseRunId(raw);
  if (!id) throw new HttpProblem(404, 'Not found', `no simulation ${JSON.stringify(raw.slice(0, 64))}`);
  return id;
}

/** A run in this coordinator's memory, else from its record; a record that cannot be read is a 503, not a 404. */
async function findRun(runs: SimulationRuns, id: string): Promise<RunView | undefined> {
  try {
    return await runs.find(id);
  } catch (error) {
    if (error instanceof RunRecordsUnavailableError) {
      throw new HttpProblem(
        503,
        'Run records unavailable',
        `simulation ${id} is not in this coordinator's memory and ${error.message}`,
        {},
        { 'Retry-After': '5' },
      );
    }
    throw error;
  }
}

/** A run known only from its record that is still running: it runs on another coordinator (or did, until that one stopped). */
function runningElsewhere(view: RunView): string | undefined {
  if (view.status !== 'running' || !view.recordedBy) return undefined;
  const { host, pid } = view.recordedBy;
  return `simulation ${view.id} runs on another coordinator (host ${host}, pid ${pid}), or did until it stopped; ask that one`;
}

type TaskEvent = Extract<SimulationEvent, { type: 'task-started' | 'task-finished' }>;
const isTaskEvent = (event: SimulationEvent): event is TaskEvent => event.type === 'task-started' || event.type === 'task-finished';

/**
 * What a run's chart can show: a finished run's report; for a running one,
 * its events so far. A run that failed or was cancelled keeps no events, so
 * it has nothing to draw: 409.
 */
function timelineOf(view: RunView, runs: SimulationRuns): SimulationTimeline {
  if (view.status === 'finished' && view.report) return simulationTimelineFromReport(view.report);
  if (view.status === 'running') {
    const events = runs.eventsSoFar(view.id).filter(isTaskEvent);
    return simulationTimelineFromEvents({ runId: view.id, modes: view.modes, taskCount: view.tasks, workload: view.workload }, events);
  }
  throw new HttpProblem(
    409,
    'No timeline',
    `simulation ${view.id} ${view.status === 'cancelled' ? 'was cancelled' : 'failed'}: only finished and running simulations have a timeline`,
    {
      runStatus: view.status,
    },
  );
}

/** A plan whose mode cannot run now (distributed without a downloader) is a 503 naming what is missing, before any run starts. */
async function ensureReady(runs: SimulationRuns, plan: SimulationPlan): Promise<void> {
  try {
    await runs.ensureReady(plan);
  } catch (error) {
    if (error instanceof ModeUnavailableError) {
      throw new HttpProblem(
        503,
        'Mode unavailable',
        `${error.mode} cannot run now: ${error.message}`,
        { mode: error.mode, missing: error.missing },
        { 'Retry-After': '5' },
      );
    }
    throw error;
  }
}

/**
 * The simulation resource: POST runs one (201 with the report if it ends
 * within waitMs, 202 with its Location otherwise); GET lists or shows them;
 * /events streams a run as it goes; /timeline.svg draws it as a Gantt chart,
 * as far as it has got; DELETE cancels one.
 */
export function simulationRoutes({ runs, shutdown }: SimulationRoutesOptions): Router {
  const router = Router();
  let eventStreams = 0;

  const found = async (request: Request) => {
    const id = runIdOf(request);
    const view = await findRun(runs, id);
    if (!view) {
      throw new HttpProblem(
        404,
        'Not found',
        `no simulation ${id}; this coordinator keeps its ${SIMULATION_LIMITS.historySize} most recent, the run records the last 24 h`,
      );
    }
    return view;
  };

  router.post('/simulations', async (request, response) => {
    const { plan, waitMs } = planOf(request.body);
    await ensureReady(runs, plan);
    const started = startOr429('Too many simulations', () => runs.start(plan, { requestId: requestIdOf(request) }));
    response.locals['runId'] = started.id; // named on the request's log line
    const location = `/simulations/${started.id}`;
    response.setHeader('Location', location);
    await runs.waitFor(started.id, waitMs);
    const view = runs.get(started.id) ?? started;
    switch (view.status) {
      case 'running':
        response.status(202).json({ ...view, links: { self: location, events: `${location}/events` } });
        return;
      case 'finished':
        response.status(201).json(view.report);
        return;
      case 'cancelled':
        if (shutdown.aborted)
          throw new HttpProblem(503, 'Shutting down', 'the coordinator stopped before the simulation finished', { runId: view.id });
        throw new HttpProblem(409, 'Cancelled', view.error ?? 'the simulation was cancelled', { runId: view.id });
      case 'failed':
        throw new HttpProblem(500, 'Simulation failed', view.error ?? 'the simulation failed', { runId: view.id });
    }
  });

  router.get('/simulations', (_request, response) => {
    response.json({ engine: runs.engineInfo(), limits: SIMULATION_LIMITS, runs: runs.list() });
  });

  router.get('/simulations/:id', async (request, response) => {
    response.json(await found(request));
  });

  router.get('/simulations/:id/events', async (request, response) => {
    const view = await found(request);
    const elsewhere = runningElsewhere(view);
    if (elsewhere) throw new HttpProblem(409, 'Running elsewhere', `${elsewhere} for its events`, { runStatus: view.status });
    if (eventStreams >= SIMULATION_LIMITS.maxEventStreams) {
      throw new HttpProblem(
        429,
        'Too many event streams',
        `at most ${SIMULATION_LIMITS.maxEventStreams} are open at once`,
        {},
        { 'Retry-After': '5' },
      );
    }
    eventStreams++;
    const stream = openEventStream(request, response);
    const watcher = (event: SimulationEvent) => {
      stream.send(event.type, event);
      if (event.type === 'run-finished' || event.type === 'run-failed') stream.close();
    };
    // A run known from its record only has ended: its watchers get its last event, as a late watcher of one in memory does.
    let stop: (() => void) | undefined;
    if (view.recordedBy) {
      const last = runs.lastEventOf(view);
      if (last) watcher(last);
    } else stop = runs.watch(view.id, watcher);
    void stream.closed.then(() => {
      stop?.();
      eventStreams--;
    });
  });

  router.get('/simulations/:id/timeline.svg', async (request, response) => {
    sendSvg(response, renderSimulationTimeline(timelineOf(await found(request), runs)));
  });

  router.delete('/simulations/:id', async (request, response) => {
    const view = await found(request);
    const elsewhere = runningElsewhere(view);
    if (elsewhere) throw new HttpProblem(409, 'Running elsewhere', `${elsewhere} to cancel it`, { runStatus: view.status });
    if (view.status !== 'running') {
      throw new HttpProblem(409, 'Not running', `simulation ${view.id} is already ${view.status}`, { runStatus: view.status });
    }
    response.json(await runs.cancel(view.id));
  });

  return router;
}
