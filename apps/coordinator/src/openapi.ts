import { healthSchema, problemDetailsSchema, readyAnswerSchema } from '@concurrency-lab/http';
import { QUEUE_RUN_LIMITS, queueRunReportSchema, queueRunRequestSchema, queueRunViewSchema } from '@concurrency-lab/queue-runs';
import { engineInfoSchema, LESSON_MODES, runViewSchema, simulationEventSchema, simulationReportSchema } from '@concurrency-lab/simulation';
// After the schemas above, so the document lists its components in the order it always has.
import { PROBE_TIMEOUT_MS } from '@concurrency-lab/downloads';
import { Router } from 'express';
import { z } from 'zod';
import { SIMULATION_API_LIMITS as SIMULATION_LIMITS, simulationBodySchema, simulationLimitsSchema } from './simulation-api.js';

/*
 * The coordinator's OpenAPI 3.1 document, served at GET /openapi.json. Every
 * body in it comes from the zod schemas the code validates requests with and
 * types its answers by: z.toJSONSchema writes JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1. Only the routes, statuses and prose are written here.
 */

// The request schemas get their component names here, where the document needs them.
const simulationRequest = simulationBodySchema.meta({
  id: 'SimulationRequest',
  description: "The body of POST /simulations; no body at all is the lesson's run.",
});
const queueRunRequest = queueRunRequestSchema.meta({
  id: 'QueueRunRequest',
  description: "The body of POST /queue-runs; no body at all is the lesson's three items.",
});

const runSummary = runViewSchema
  .omit({ report: true })
  .meta({ id: 'RunSummary', description: 'A simulation as GET /simulations lists it: its view without the report.' });
const simulationList = z
  .strictObject({
    engine: engineInfoSchema,
    limits: simulationLimitsSchema,
    runs: z.array(runSummary).meta({ description: 'Newest first.' }),
  })
  .meta({ id: 'SimulationList' });
const acceptedRun = runViewSchema
  .extend({ links: z.strictObject({ self: z.string(), events: z.string() }) })
  .meta({ id: 'AcceptedRun', description: 'A simulation still running when the request stopped waiting (202): where to follow it.' });

/** Every schema a component is made of; naming them here keeps them in the document even if zod's registry holds others. */
const COMPONENTS = {
  simulationRequest,
  queueRunRequest,
  simulationReportSchema,
  runViewSchema,
  runSummary,
  simulationList,
  acceptedRun,
  simulationEventSchema,
  queueRunReportSchema,
  queueRunViewSchema,
  problemDetailsSchema,
  healthSchema,
  readyAnswerSchema,
};

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ 'application/json': { schema: ref(id) } });
const answer = (description: string, id: string) => ({ description, content: json(id) });
const text = (description: string, type: string) => ({ description, content: { [type]: { schema: { type: 'string' } } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const problems = (statuses: Record<number, string>) =>
  Object.fromEntries(Object.entries(statuses).map(([status, description]) => [status, problem(description)]));

/** Only when the coordinator runs with COORDINATOR_TOKEN; without it, nothing asks for one. */
const tokenIfSet = [{}, { bearerToken: [] }];
const bodyProblems = {
  400: 'A field is invalid, unknown, or the body is not a JSON object; `invalidParams` names every bad field.',
  401: 'COORDINATOR_TOKEN is set and the request lacks that bearer token.',
  413: 'The body is larger than 1.5 MB.',
  415: 'The body is not UTF-8 JSON.',
};

function idParameter(description: string, pattern: string) {
  return [{ name: 'id', in: 'path', required: true, description, schema: { type: 'string', pattern } }];
}
const simulationId = idParameter(
  'The simulation id (a lower-case UUID).',
  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
);
const queueRunId = idParameter(
  'The queue run id (a UUID).',
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
);
const svg = (what: string) => text(`${what} as a Gantt chart.`, 'image/svg+xml');
const RECORDS_UNAVAILABLE =
  "The run is not in this coordinator's memory and the run records (JetStream KV bucket lab-runs) could not be read; retry after Retry-After seconds.";
const FROM_RECORDS =
  "A run not in this coordinator's memory (an earlier process's, another coordinator's, or one memory has let go) is answered from its run record, kept 24 h, with `recordedBy`.";

function simulationPaths() {
  return {
    '/simulations': {
      post: {
        summary: 'Run a simulation',
        description:
          `Runs the tasks in one mode, or several side by side (compare), and waits up to waitMs (default ${SIMULATION_LIMITS.defaultWaitMs}) for the report. ` +
          `No body is the lesson's run: its two downloads of 5 to 10 s, compared ${LESSON_MODES.join(' then ')}, answered with 201 and the report.`,
        security: tokenIfSet,
        requestBody: { required: false, content: json('SimulationRequest') },
        responses: {
          201: {
            ...answer('Finished within waitMs: the report.', 'SimulationReport'),
            headers: { Location: { schema: { type: 'string' } } },
          },
          202: {
            ...answer('Still running after waitMs: follow its links.', 'AcceptedRun'),
            headers: { Location: { schema: { type: 'string' } } },
          },
          ...problems({
            ...bodyProblems,
            409: 'Cancelled (DELETE) before it finished.',
            429: `${SIMULATION_LIMITS.maxRunsInFlight} simulations are running already; retry after Retry-After seconds.`,
            500: 'The simulation failed.',
            503: `A mode of the plan cannot run now (distributed: no downloader answered within ${PROBE_TIMEOUT_MS} ms; \`missing\` names what), or the coordinator shut down before the simulation finished.`,
          }),
        },
      },
      get: {
        summary: 'The engine, the limits and the recent simulations',
        description:
          "The runs in this coordinator's memory only: not other coordinators' runs nor this one's before a restart, which GET /simulations/{id} answers from their run records.",
        responses: { 200: answer(`The ${SIMULATION_LIMITS.historySize} most recent simulations, newest first.`, 'SimulationList') },
      },
    },
    '/simulations/{id}': {
      parameters: simulationId,
      get: {
        summary: 'One simulation',
        description: FROM_RECORDS,
        responses: {
          200: answer('The simulation; a finished one has its report.', 'RunView'),
          ...problems({ 404: 'No such simulation (or too old to be kept).', 503: RECORDS_UNAVAILABLE }),
        },
      },
      delete: {
        summary: 'Cancel a running simulation',
        security: tokenIfSet,
        responses: {
          200: answer('Cancelled: its processes and threads are gone.', 'RunView'),
          ...problems({
            401: bodyProblems[401],
            404: 'No such simulation.',
            409: 'It is not running, or it runs on another coordinator (cancel it there).',
            503: RECORDS_UNAVAILABLE,
          }),
        },
      },
    },
    '/simulations/{id}/events': {
      parameters: simulationId,
      get: {
        summary: 'Follow a simulation as it goes (server-sent events)',
        description:
          'Each event is named by its type; its data is a SimulationEvent as JSON (x-event-data). The stream ends after run-finished or run-failed; a run that has ended sends its last event only.',
        responses: {
          200: {
            description: 'An event stream.',
            content: { 'text/event-stream': { schema: { type: 'string' }, 'x-event-data': ref('SimulationEvent') } },
          },
          ...problems({
            404: 'No such simulation.',
            409: 'It runs on another coordinator (known here from its run record only): follow it there.',
            429: `${SIMULATION_LIMITS.maxEventStreams} event streams are open already.`,
            503: RECORDS_UNAVAILABLE,
          }),
        },
      },
    },
    '/simulations/{id}/timeline.svg': {
      parameters: simulationId,
      get: {
        summary: 'A simulation drawn',
        description: `${FROM_RECORDS} A finished one is drawn from its stored report.`,
        responses: {
          200: svg('The run so far'),
          ...problems({ 404: 'No such simulation.', 409: 'It failed or was cancelled: nothing to draw.', 503: RECORDS_UNAVAILABLE }),
        },
      },
    },
  };
}

function queueRunPaths() {
  return {
    '/queue-runs': {
      post: {
        summary: 'Pass items from a writer through the queue to readers',
        description: `No body is the lesson's run. At most ${QUEUE_RUN_LIMITS.maxItems} items, ${QUEUE_RUN_LIMITS.maxRunsInFlight} runs at once.`,
        security: tokenIfSet,
        requestBody: { required: false, content: json('QueueRunRequest') },
        responses: {
          200: answer('Every item was read: the run from first write to last read.', 'QueueRunReport'),
          ...problems({
            ...bodyProblems,
            429: 'Too many queue runs at once; retry after Retry-After seconds.',
            502: 'The writer failed.',
            503: 'No writer answered, NATS or JetStream cannot serve the run now (unreachable, or no quorum on a cluster; Retry-After: 5), or the coordinator is shutting down.',
            504: 'Not every item was read in time.',
          }),
        },
      },
    },
    '/queue-runs/{id}': {
      parameters: queueRunId,
      get: {
        summary: 'One queue run',
        description: FROM_RECORDS,
        responses: {
          200: answer('The queue run as far as it got; a finished one has its report.', 'QueueRunView'),
          ...problems({ 404: 'No such queue run (or too old to be kept).', 503: RECORDS_UNAVAILABLE }),
        },
      },
    },
    '/queue-runs/{id}/timeline.svg': {
      parameters: queueRunId,
      get: {
        summary: 'A finished queue run drawn',
        description: `${FROM_RECORDS} It is drawn from the stored report.`,
        responses: {
          200: svg('The run'),
          ...problems({ 404: 'No such finished queue run (or too old to be kept).', 503: RECORDS_UNAVAILABLE }),
        },
      },
    },
  };
}

function servicePaths() {
  return {
    '/': {
      get: { summary: 'The web page', responses: { 200: text('The page that runs and draws simulations and queue runs.', 'text/html') } },
    },
    '/page/page.js': { get: { summary: "The page's script", responses: { 200: text('Its script.', 'text/javascript') } } },
    '/page/page.css': { get: { summary: "The page's styles", responses: { 200: text('Its styles.', 'text/css') } } },
    '/page/icon.svg': { get: { summary: "The page's icon", responses: { 200: text('Its icon.', 'image/svg+xml') } } },
    '/healthz': { get: { summary: 'Alive', responses: { 200: answer('The process is up and serving.', 'Health') } } },
    '/readyz': {
      get: {
        summary: 'Ready to take work',
        responses: {
          200: answer('Every check passed.', 'Ready'),
          ...problems({ 503: 'A check failed, or the coordinator is shutting down; `checks` has them all.' }),
        },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics',
        responses: { 200: text("Prometheus's text format.", 'text/plain'), 503: text('The metrics could not be collected.', 'text/plain') },
      },
    },
    '/openapi.json': {
      get: {
        summary: 'This document',
        responses: { 200: { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  };
}

/** The components from the zod schemas: each named schema once, referred to by $ref from the others. */
function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io: 'input', uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' });
  const wanted = new Set(Object.values(COMPONENTS).map((schema) => z.globalRegistry.get(schema)?.id));
  const named = Object.entries(schemas).filter(([id]) => wanted.has(id) || isReferred(schemas, id));
  // Each component lives in this document: the dialect is the document's, and no $id of its own.
  return Object.fromEntries(named.map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]));
}

function isReferred(schemas: Record<string, unknown>, id: string): boolean {
  return JSON.stringify(schemas).includes(`"#/components/schemas/${id}"`);
}

let document: Record<string, unknown> | undefined;

export function openApiDocument(): Record<string, unknown> {
  document ??= {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Concurrency Lab coordinator',
      version: '0.1.0',
      description:
        'Runs simulated downloads one after another, in processes, a pool, threads or async, and queue runs through NATS JetStream, and reports what each cost. ' +
        'Every error is application/problem+json (RFC 9457). A path asked with a method it does not answer gets 405 with an Allow header; an unknown path, 404.',
    },
    paths: { ...servicePaths(), ...simulationPaths(), ...queueRunPaths() },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'COORDINATOR_TOKEN, when the coordinator is started with one.' },
      },
    },
  };
  return document;
}

/** GET /openapi.json. */
export function openApiRoutes(): Router {
  const body = JSON.stringify(openApiDocument());
  return Router().get('/openapi.json', (_request, response) => {
    response.type('application/json').send(body);
  });
}
