import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoordinatorClient } from './client.js';
import { CoordinatorProblem, CoordinatorUnreachable } from './problem.js';

/*
 * A stand-in coordinator on a loopback port: canned answers in the shapes the
 * real one gives, so each spec can check what the client sends and makes of an
 * answer. The real coordinator is exercised through this client by the e2e suite.
 */
interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

const RUN_ID = '0b7e2c8a-7f7e-4c1a-9d1e-2f6c3b4a5d6e';
const seen: Seen[] = [];
let server: Server;
let base: string;

function problem(response: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  response
    .writeHead(status, { 'content-type': 'application/problem+json', ...headers })
    .end(JSON.stringify({ type: 'about:blank', status, ...body }));
}

function answer(request: IncomingMessage, response: ServerResponse, body: string) {
  seen.push({
    method: request.method ?? '',
    url: request.url ?? '',
    authorization: request.headers.authorization,
    contentType: request.headers['content-type'],
    body,
  });
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
  const route = `${request.method} ${request.url}`;
  if (route === 'POST /simulations' && body.includes('"waitMs":0'))
    return json(202, { id: RUN_ID, status: 'running', links: { self: `/simulations/${RUN_ID}` } }, { location: `/simulations/${RUN_ID}` });
  if (route === 'POST /simulations' && body.includes('"count":999')) {
    return problem(response, 400, {
      title: 'Bad Request',
      detail: 'count: must be at most 100',
      invalidParams: [{ name: 'count', reason: 'must be at most 100' }],
    });
  }
  if (route === 'POST /simulations')
    return json(201, { runId: RUN_ID, mode: 'sequential', totalMs: 12, tasks: [] }, { location: `/simulations/${RUN_ID}` });
  if (route === `DELETE /simulations/${RUN_ID}`) return json(201, { id: RUN_ID, status: 'cancelled' });
  if (route === `GET /simulations/${RUN_ID}`) return json(200, { id: RUN_ID, status: 'finished' });
  if (route === 'POST /queue-runs')
    return problem(response, 429, { title: 'Too Many Requests', detail: '2 queue runs are running already' }, { 'retry-after': '3' });
  if (route === 'GET /readyz')
    return problem(response, 503, {
      title: 'Service Unavailable',
      detail: 'not ready: nats',
      checks: { nats: { status: 'failed', reason: 'disconnected' } },
    });
  if (route === 'GET /healthz') return response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
  if (route === `GET /simulations/${RUN_ID}/events`) {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(': keep-alive\n\n');
    response.write(`event: task-started\ndata: ${JSON.stringify({ type: 'task-started', runId: RUN_ID, index: 0 })}\n\n`);
    return response.end(
      `event: run-failed\ndata: ${JSON.stringify({ type: 'run-failed', runId: RUN_ID, status: 'cancelled', error: 'cancelled' })}\n\n`,
    );
  }
  return problem(response, 404, { title: 'Not Found' });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('createCoordinatorClient', () => {
  it('sends the request as JSON with the bearer token, and returns a finished run with its Location', async () => {
    const client = createCoordinatorClient({ baseUrl: `${base}/`, token: 'sesame' });
    const answer = await client.simulate({ mode: 'sequential', count: 2 });
    expect(answer).toEqual({
      status: 201,
      report: { runId: RUN_ID, mode: 'sequential', totalMs: 12, tasks: [] },
      location: `/simulations/${RUN_ID}`,
    });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/simulations',
      authorization: 'Bearer sesame',
      contentType: 'application/json',
      body: '{"mode":"sequential","count":2}',
    });
  });

  it('sends no body at all for the lesson run, and no token when none is given', async () => {
    await createCoordinatorClient({ baseUrl: base }).simulate();
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/simulations', authorization: undefined, contentType: undefined, body: '' });
  });

  it('returns a run still going (202) with where to follow it, and follows its Location', async () => {
    const client = createCoordinatorClient({ baseUrl: base });
    const answer = await client.simulate({ mode: 'processes', count: 1, waitMs: 0 });
    expect(answer.status).toBe(202);
    expect(answer.location).toBe(`/simulations/${RUN_ID}`);
    expect((await client.simulation(answer.location)).status).toBe('finished');
    expect(seen.at(-1)?.url).toBe(`/simulations/${RUN_ID}`);
  });

  it('turns a problem+json answer into a CoordinatorProblem with its status, title, detail and fields', async () => {
    const error = await createCoordinatorClient({ baseUrl: base })
      .simulate({ count: 999 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CoordinatorProblem);
    const problem = error as CoordinatorProblem;
    expect(problem.message).toBe('POST /simulations: 400 Bad Request: count: must be at most 100');
    expect([problem.status, problem.title, problem.detail, problem.reason]).toEqual([
      400,
      'Bad Request',
      'count: must be at most 100',
      'count: must be at most 100',
    ]);
    expect(problem.invalidParams).toEqual([{ name: 'count', reason: 'must be at most 100' }]);
    expect(problem.names('count')).toBe(true);
    expect(problem.names('mode')).toBe(false);
    expect(problem.reasonsFor('count')).toEqual(['must be at most 100']);
  });

  it('keeps Retry-After, and the whole body for the fields a problem adds (readiness checks)', async () => {
    const client = createCoordinatorClient({ baseUrl: base });
    const busy = (await client.queueRun().catch((caught: unknown) => caught)) as CoordinatorProblem;
    expect([busy.status, busy.retryAfterSeconds, busy.message]).toEqual([
      429,
      3,
      'POST /queue-runs: 429 Too Many Requests: 2 queue runs are running already',
    ]);
    const unready = (await client.readiness().catch((caught: unknown) => caught)) as CoordinatorProblem;
    expect(unready.status).toBe(503);
    expect(unready.body).toMatchObject({ checks: { nats: { status: 'failed', reason: 'disconnected' } } });
  });

  it('says the status when the error body is not a problem (a proxy page), and keeps its text', async () => {
    const problem = (await createCoordinatorClient({ baseUrl: base })
      .health()
      .catch((caught: unknown) => caught)) as CoordinatorProblem;
    expect(problem).toBeInstanceOf(CoordinatorProblem);
    expect([problem.message, problem.reason, problem.body]).toEqual(['GET /healthz: 502 HTTP 502', 'HTTP 502', '<h1>Bad gateway</h1>']);
  });

  it('reads the event stream event by event, skipping keep-alives, until it ends', async () => {
    const events = [];
    for await (const event of createCoordinatorClient({ baseUrl: base }).simulationEvents(RUN_ID)) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['task-started', 'run-failed']);
    expect(events[1]).toMatchObject({ status: 'cancelled', error: 'cancelled' });
  });

  it('names the URL and the cause when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const error = await createCoordinatorClient({ baseUrl: url })
      .simulations()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CoordinatorUnreachable);
    expect((error as Error).message).toMatch(
      new RegExp(`^GET /simulations: no answer from ${url}/simulations \\(fetch failed: .*ECONNREFUSED`),
    );
  });

  it('gives up after timeoutMs with the abort, not as unreachable', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const client = createCoordinatorClient({ baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 200 });
      await expect(client.simulations()).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses a success status the document does not give for the route, rather than a body of another shape', async () => {
    await expect(createCoordinatorClient({ baseUrl: base }).cancelSimulation(RUN_ID)).rejects.toThrow(
      `DELETE /simulations/${RUN_ID}: answered 201, which the API does not document (200)`,
    );
  });

  it('passes calls through the fetch it is given', async () => {
    const urls: string[] = [];
    const client = createCoordinatorClient({
      baseUrl: base,
      fetch: (input, init) => (urls.push(input instanceof Request ? input.url : String(input)), fetch(input, init)),
    });
    await client.simulation(RUN_ID);
    expect(urls).toEqual([`${base}/simulations/${RUN_ID}`]);
  });
});
