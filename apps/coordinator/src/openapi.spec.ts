import { createLogger } from '@concurrency-lab/logger';
import { connectToNats, drainNats, type NatsConnection } from '@concurrency-lab/nats';
import { openQueue } from '@concurrency-lab/queue';
import { startReader, type ReaderService } from '@concurrency-lab/queue-reader';
import { startWriter, type WriterService } from '@concurrency-lab/queue-writer';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.js';
import { routeTable } from './support/route-table.js';
import { startSpecCoordinator, type SpecCoordinator } from './support/spec-coordinator.js';

/**
 * Every route of a real coordinator, asked for its successes and its
 * problems alike, each answer checked against GET /openapi.json: its status
 * is documented for that route, its content type is the one documented, and
 * its body validates against the documented schema (ajv, JSON Schema 2020-12).
 * At the end, every documented operation must have been asked.
 */

// ajv-formats is CommonJS: its default export is the module under ESM.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const logger = createLogger({ service: 'spec', destination: new PassThrough() });
const DOCUMENT_URI = 'urn:concurrency-lab:coordinator:openapi';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown; 'x-event-data'?: unknown }> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

/** A JSON pointer's escaping of one key. */
const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

describe('the OpenAPI document against real answers', () => {
  let coordinator: SpecCoordinator;
  let nc: NatsConnection;
  let document: Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  const asked = new Set<string>();

  beforeAll(async () => {
    coordinator = await startSpecCoordinator();
    nc = await connectToNats({ servers: coordinator.natsUrl, name: 'openapi-spec', logger });
    const response = await fetch(`${coordinator.base}/openapi.json`);
    document = (await response.json()) as Document;
    ajv.addSchema(document, DOCUMENT_URI);
  });
  afterAll(async () => {
    await coordinator?.stop();
    if (nc) await drainNats(nc, logger);
  });

  /** The schema at a place in the document, compiled once. */
  const validatorAt = (pointer: string) => ajv.getSchema(`${DOCUMENT_URI}#${pointer}`) ?? expect.unreachable(`no schema at ${pointer}`);

  /**
   * Sends a request and checks its answer against the operation `method template`:
   * documented status, documented content type, body valid against its schema.
   */
  async function ask(
    method: string,
    template: string,
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; headers: Headers; text: string; body: unknown }> {
    const response = await fetch(`${coordinator.base}${path}`, { method, ...init, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    const operation = document.paths[template]?.[method.toLowerCase()];
    expect(operation, `${method} ${template} is documented`).toBeDefined();
    asked.add(`${method} ${template}`);
    const documented = operation!.responses[String(response.status)];
    expect(documented, `${method} ${path} answered ${response.status}, not documented: ${text.slice(0, 300)}`).toBeDefined();
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    expect(Object.keys(documented!.content ?? {}), `${method} ${path} ${response.status}`).toContain(type);
    let body: unknown = text;
    if (type.endsWith('json')) {
      body = JSON.parse(text);
      const pointer = ['paths', template, method.toLowerCase(), 'responses', String(response.status), 'content', type, 'schema']
        .map(escape)
        .join('/');
      const validate = validatorAt(`/${pointer}`);
      expect(validate(body), `${method} ${path} ${response.status}: ${JSON.stringify(validate.errors)}\n${text.slice(0, 500)}`).toBe(true);
    }
    return { status: response.status, headers: response.headers, text, body };
  }

  const json = (body: unknown): RequestInit => ({
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  /** POSTs a body; one the coordinator took must be one the document's request schema takes too. */
  const post = async (template: string, body: unknown, path = template) => {
    const answer = await ask('POST', template, path, json(body));
    if (answer.status < 300) {
      const validate = validatorAt(`/paths/${escape(template)}/post/requestBody/content/${escape('application/json')}/schema`);
      expect(validate(body), `${template} took ${JSON.stringify(body)}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    return answer;
  };

  it('is a valid OpenAPI 3.1 document, the same one the code builds', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // The validator does look: a document without its info is refused.
    const { info: _info, ...broken } = structuredClone(document) as unknown as Record<string, unknown>;
    expect((await new Validator().validate(broken)).valid).toBe(false);
    expect(document).toEqual(openApiDocument());
  });

  it('documents every route the app answers, and no route it does not', () => {
    const methods = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item as object)
        .filter((key) => methods.has(key)) // a path item also holds its shared parameters
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    // Express writes a parameter as :id, OpenAPI as {id}; Express answers HEAD with every GET route.
    const answered = routeTable(coordinator.app).map(({ method, path }) => `${method} ${path.replaceAll(/:(\w+)/g, '{$1}')}`);
    expect(new Set(answered)).toEqual(new Set(documented));
  });

  it('describes the service routes as they answer', async () => {
    for (const path of ['/', '/page/page.js', '/page/page.css', '/page/icon.svg', '/healthz', '/readyz', '/metrics', '/openapi.json']) {
      expect((await ask('GET', path, path)).status, path).toBe(200);
    }
  });

  it('describes a finished simulation, a comparison, the list, one run, its events and its chart', async () => {
    const lesson = await post('/simulations', { scale: 0.01 });
    expect(lesson.status).toBe(201);
    expect(lesson.body).toMatchObject({ mode: 'compare', table: [{ mode: 'sequential' }, { mode: 'processes' }] });
    const single = await post('/simulations', { mode: 'async', count: 3, minMs: 1, maxMs: 5 });
    expect(single.body).toMatchObject({ mode: 'async' });
    const runId = (lesson.body as { runId: string }).runId;
    expect((await ask('GET', '/simulations', '/simulations')).status).toBe(200);
    expect((await ask('GET', '/simulations/{id}', `/simulations/${runId}`)).body).toMatchObject({ status: 'finished' });
    expect((await ask('GET', '/simulations/{id}/timeline.svg', `/simulations/${runId}/timeline.svg`)).status).toBe(200);
    const events = await ask('GET', '/simulations/{id}/events', `/simulations/${runId}/events`);
    const validateEvent = validatorAt(
      `/paths/${escape('/simulations/{id}/events')}/get/responses/200/content/${escape('text/event-stream')}/x-event-data`,
    );
    const data = events.text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as unknown);
    expect(data.length).toBeGreaterThan(0);
    for (const event of data) expect(validateEvent(event), JSON.stringify(validateEvent.errors)).toBe(true);
  });

  it('describes a running simulation: 202, its events as they come, its chart so far, and cancelling it', async () => {
    const accepted = await post('/simulations', {
      mode: 'async',
      tasks: [
        { name: 'a', durationMs: 30 },
        { name: 'hold', durationMs: 30_000 },
      ],
      waitMs: 0,
    });
    expect(accepted.status).toBe(202);
    const { id } = accepted.body as { id: string };
    // Once task a is done, the chart has a finished bar: the run's own events say when.
    await new Promise<void>((resolve) =>
      coordinator.runs.watch(id, (event) => {
        if (event.type === 'task-finished' && event.name === 'a') resolve();
      }),
    );
    expect((await ask('GET', '/simulations/{id}/timeline.svg', `/simulations/${id}/timeline.svg`)).status).toBe(200);
    const streaming = ask('GET', '/simulations/{id}/events', `/simulations/${id}/events`);
    expect((await ask('GET', '/simulations/{id}', `/simulations/${id}`)).body).toMatchObject({ status: 'running' });
    expect((await ask('DELETE', '/simulations/{id}', `/simulations/${id}`)).body).toMatchObject({ status: 'cancelled' });
    expect((await streaming).text).toContain('event: run-failed');
    expect((await ask('DELETE', '/simulations/{id}', `/simulations/${id}`)).status).toBe(409);
    expect((await ask('GET', '/simulations/{id}/timeline.svg', `/simulations/${id}/timeline.svg`)).status).toBe(409);
  });

  it('describes a simulation cancelled while its request waits: 409', async () => {
    const waiting = post('/simulations', { mode: 'async', tasks: [{ name: 'hold', durationMs: 30_000 }] });
    await expect.poll(() => coordinator.runs.inFlight).toBe(1);
    const [running] = coordinator.runs.list().filter((view) => view.status === 'running');
    await coordinator.runs.cancel(running!.id);
    expect((await waiting).status).toBe(409);
  });

  it('describes every refusal of POST /simulations as a problem', async () => {
    expect((await post('/simulations', { itemz: 1 })).body).toMatchObject({ status: 400, invalidParams: [{ name: 'itemz' }] });
    expect((await post('/simulations', 'null')).status).toBe(400);
    expect((await ask('POST', '/simulations', '/simulations', { headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
    const huge = { mode: 'async', tasks: Array.from({ length: 1_000 }, (_, i) => ({ name: `${'x'.repeat(1_600)}${i}`, durationMs: 1 })) };
    expect((await post('/simulations', huge)).status).toBe(413);
    const hold = { mode: 'async', tasks: [{ name: 'hold', durationMs: 30_000 }], waitMs: 0 };
    const held = await Promise.all(Array.from({ length: 4 }, () => post('/simulations', hold)));
    expect((await post('/simulations', hold)).status).toBe(429);
    for (const { body } of held) await coordinator.runs.cancel((body as { id: string }).id);
  });

  it('describes the problems of the simulation routes by id', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const template of ['/simulations/{id}', '/simulations/{id}/events', '/simulations/{id}/timeline.svg']) {
      expect((await ask('GET', template, template.replace('{id}', missing))).status, template).toBe(404);
    }
    expect((await ask('DELETE', '/simulations/{id}', `/simulations/${missing}`)).status).toBe(404);
  });

  it('describes a queue run: refused, without a writer, finished, and drawn', async () => {
    expect((await post('/queue-runs', { items: [] })).status).toBe(400);
    expect((await post('/queue-runs', { items: ['a'], writeDelayMs: 0, readDelayMs: 0 })).body).toMatchObject({
      status: 503,
      failure: 'writer-unavailable',
    });
    const { js, jsm } = await openQueue(nc, 'reader', { ackWaitMs: 5_000 });
    const services: (WriterService | ReaderService)[] = [startWriter({ nc, js, logger }), await startReader({ nc, js, jsm, logger })];
    try {
      const finished = await post('/queue-runs', { items: ['a', 'b', 'c'], writeDelayMs: 1, readDelayMs: 1 });
      expect(finished.status).toBe(200);
      const { runId } = finished.body as { runId: string };
      expect((await ask('GET', '/queue-runs/{id}/timeline.svg', `/queue-runs/${runId}/timeline.svg`)).status).toBe(200);
      expect((await ask('GET', '/queue-runs/{id}', `/queue-runs/${runId}`)).body).toMatchObject({ runId, status: 'finished' });
      expect((await ask('GET', '/queue-runs/{id}', '/queue-runs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect(
        (await ask('GET', '/queue-runs/{id}/timeline.svg', '/queue-runs/00000000-0000-4000-8000-000000000000/timeline.svg')).status,
      ).toBe(404);
    } finally {
      await Promise.all(services.map((service) => service.stop()));
    }
  });

  it('describes a coordinator that is not ready: 503 with its checks', async () => {
    coordinator.readiness.shutDown();
    expect((await ask('GET', '/readyz', '/readyz')).body).toMatchObject({ status: 503, failing: ['shutdown'] });
  });

  it('has every documented operation asked above, and describes 405 and 404 as problems too', async () => {
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((key) => ['get', 'post', 'delete', 'put', 'patch'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect([...asked].sort()).toEqual(documented.sort());
    const validateProblem = validatorAt('/components/schemas/Problem');
    for (const [method, path] of [
      ['PUT', '/simulations'],
      ['POST', '/simulations/00000000-0000-4000-8000-000000000000'],
      ['GET', '/nowhere'],
    ] as const) {
      const response = await fetch(`${coordinator.base}${path}`, { method });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(validateProblem(await response.json()), `${method} ${path}: ${JSON.stringify(validateProblem.errors)}`).toBe(true);
    }
  });
});
