import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { readEventStream } from './event-stream.js';
import { CoordinatorProblem, CoordinatorUnreachable } from './problem.js';
import type {
  AcceptedRun,
  Health,
  QueueRunReport,
  QueueRunRequest,
  QueueRunView,
  Ready,
  RunView,
  SimulationEvent,
  SimulationList,
  SimulationReport,
  SimulationRequest,
} from './types.js';

export interface CoordinatorClientOptions {
  /** Where the coordinator answers, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  /** COORDINATOR_TOKEN, sent as a bearer token, when the coordinator was started with one. */
  token?: string;
  /** Another fetch (a test's, a proxy's); the global one by default. */
  fetch?: typeof globalThis.fetch;
  /** Gives up on each call after this long; no bound by default. */
  timeoutMs?: number;
  /** Ends every call at once when aborted (the tool was interrupted). */
  signal?: AbortSignal;
}

/** Per call: its own bound and abort signal, and extra headers (x-request-id, say). */
export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** POST /simulations: finished within waitMs (201, the report) or still running (202, where to follow it). */
export type SimulationAnswer =
  { status: 201; report: SimulationReport; location: string } | { status: 202; run: AcceptedRun; location: string };

export interface CoordinatorClient {
  readonly baseUrl: string;
  /** POST /simulations; no request is the lesson's run. */
  simulate(request?: SimulationRequest, options?: CallOptions): Promise<SimulationAnswer>;
  /** GET /simulations: the engine, the limits and the recent runs, newest first. */
  simulations(options?: CallOptions): Promise<SimulationList>;
  /** GET /simulations/{id}; also takes the run's Location ("/simulations/<id>"). */
  simulation(idOrLocation: string, options?: CallOptions): Promise<RunView>;
  /** DELETE /simulations/{id}: the cancelled run. */
  cancelSimulation(id: string, options?: CallOptions): Promise<RunView>;
  /** GET /simulations/{id}/events: each event as it comes, until the run ends. */
  simulationEvents(id: string, options?: CallOptions): AsyncGenerator<SimulationEvent>;
  /** POST /queue-runs; no request is the lesson's three items. */
  queueRun(request?: QueueRunRequest, options?: CallOptions): Promise<QueueRunReport>;
  /** GET /queue-runs/{id}: the run as far as it got, with its report once finished (from its record when the coordinator no longer holds it). */
  queueRunById(id: string, options?: CallOptions): Promise<QueueRunView>;
  /** GET /healthz. */
  health(options?: CallOptions): Promise<Health>;
  /** GET /readyz: ready, or a CoordinatorProblem (503) whose body names the failed checks. */
  readiness(options?: CallOptions): Promise<Ready>;
  /** GET /openapi.json: the document these types come from. */
  openApiDocument(options?: CallOptions): Promise<Record<string, unknown>>;
  /** The typed openapi-fetch client underneath, for a route without a method here. */
  readonly api: Client<paths>;
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** A typed client of the coordinator's HTTP API; every error status becomes a CoordinatorProblem. */
export function createCoordinatorClient(options: CoordinatorClientOptions): CoordinatorClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const api = createClient<paths>({
    baseUrl,
    fetch: (request) => fetchImpl(request),
    ...(options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {}),
  });

  const call = <T>(label: string, callOptions: CallOptions, send: Send<T>, documented?: readonly number[]) =>
    sendCall(baseUrl, combinedSignal(options, callOptions), label, callOptions, send, documented);

  return {
    baseUrl,
    api,
    async simulate(request, callOptions = {}) {
      const { data, response } = await call(
        'POST /simulations',
        callOptions,
        (init) => api.POST('/simulations', { ...init, body: request }),
        [201, 202],
      );
      const location = response.headers.get('location') ?? '';
      if (response.status === 202) return { status: 202, run: data as AcceptedRun, location };
      return { status: 201, report: data as SimulationReport, location };
    },
    async simulations(callOptions = {}) {
      return (await call('GET /simulations', callOptions, (init) => api.GET('/simulations', init))).data;
    },
    async simulation(idOrLocation, callOptions = {}) {
      const id = idOrLocation.replace(/^.*\/simulations\//, '');
      return (
        await call(`GET /simulations/${id}`, callOptions, (init) => api.GET('/simulations/{id}', { ...init, params: { path: { id } } }))
      ).data;
    },
    async cancelSimulation(id, callOptions = {}) {
      return (
        await call(`DELETE /simulations/${id}`, callOptions, (init) =>
          api.DELETE('/simulations/{id}', { ...init, params: { path: { id } } }),
        )
      ).data;
    },
    async *simulationEvents(id, callOptions = {}) {
      const label = `GET /simulations/${id}/events`;
      const { data } = await call(label, callOptions, (init) =>
        api.GET('/simulations/{id}/events', { ...init, params: { path: { id } }, parseAs: 'stream' }),
      );
      if (!data) return;
      for await (const { data: json } of readEventStream(data)) yield JSON.parse(json) as SimulationEvent;
    },
    async queueRun(request, callOptions = {}) {
      return (await call('POST /queue-runs', callOptions, (init) => api.POST('/queue-runs', { ...init, body: request }))).data;
    },
    async queueRunById(id, callOptions = {}) {
      return (
        await call(`GET /queue-runs/${id}`, callOptions, (init) => api.GET('/queue-runs/{id}', { ...init, params: { path: { id } } }))
      ).data;
    },
    async health(callOptions = {}) {
      return (await call('GET /healthz', callOptions, (init) => api.GET('/healthz', init))).data;
    },
    async readiness(callOptions = {}) {
      return (await call('GET /readyz', callOptions, (init) => api.GET('/readyz', init))).data;
    },
    async openApiDocument(callOptions = {}) {
      return (await call('GET /openapi.json', callOptions, (init) => api.GET('/openapi.json', init))).data;
    },
  };
}

type Send<T> = (init: { signal: AbortSignal | undefined; headers: Record<string, string> }) => Promise<Answer<T>>;

/**
 * Sends one request and returns its body, or throws what went wrong, named by
 * `label` ("POST /simulations"). A success status the document does not give
 * for the route (`documented`) is an error too: the body would not be the type promised.
 */
async function sendCall<T>(
  baseUrl: string,
  signal: AbortSignal | undefined,
  label: string,
  callOptions: CallOptions,
  send: Send<T>,
  documented: readonly number[] = [200],
) {
  let answer: Answer<T>;
  try {
    answer = await send({ signal, headers: callOptions.headers ?? {} });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new CoordinatorUnreachable(label, `${baseUrl}${label.slice(label.indexOf(' ') + 1)}`, error);
  }
  const { data, error, response } = answer;
  if (!response.ok || error !== undefined) throw new CoordinatorProblem(label, response.status, error, response.headers.get('retry-after'));
  if (!documented.includes(response.status))
    throw new Error(`${label}: answered ${response.status}, which the API does not document (${documented.join(' or ')})`);
  return { data: data as T, response };
}

function combinedSignal(client: CoordinatorClientOptions, call: CallOptions): AbortSignal | undefined {
  const timeoutMs = call.timeoutMs ?? client.timeoutMs;
  const signals = [client.signal, call.signal, timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)].filter(
    (signal) => signal !== undefined,
  );
  return signals.length === 0 ? undefined : AbortSignal.any(signals);
}
