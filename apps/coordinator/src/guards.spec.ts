import { WRITER_REQUEST_SUBJECT } from '@concurrency-lab/queue';
import { QUEUE_RUN_LIMITS } from '@concurrency-lab/queue-runs';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from './support/route-table.js';
import { startSpecCoordinator, type SpecCoordinator } from './support/spec-coordinator.js';

const TOKEN = 'spec-token-0123456789abcdef';
const json = { 'content-type': 'application/json' };

describe('with COORDINATOR_TOKEN set', () => {
  let coordinator: SpecCoordinator;
  beforeAll(async () => {
    coordinator = await startSpecCoordinator({ token: TOKEN });
  });
  afterAll(async () => {
    await coordinator?.stop();
  });

  it('every request that starts or cancels work needs the token; without it, 401 and nothing starts', async () => {
    const small = JSON.stringify({ mode: 'async', count: 2, minMs: 1, maxMs: 2 });
    const refused = await Promise.all([
      fetch(`${coordinator.base}/simulations`, { method: 'POST', headers: json, body: small }),
      fetch(`${coordinator.base}/queue-runs`, { method: 'POST', headers: json, body: '{"items":["a"]}' }),
      fetch(`${coordinator.base}/simulations/00000000-0000-4000-8000-000000000000`, { method: 'DELETE' }),
    ]);
    expect(refused.map((response) => response.status)).toEqual([401, 401, 401]);
    expect(coordinator.runs.list()).toEqual([]);

    const allowed = await fetch(`${coordinator.base}/simulations`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${TOKEN}` },
      body: small,
    });
    expect(allowed.status).toBe(201);
    const { runId } = (await allowed.json()) as { runId: string };
    const cancel = await fetch(`${coordinator.base}/simulations/${runId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(cancel.status).not.toBe(401);
  });

  it('every route that is not a read (GET, HEAD) answers 401 without the token, a route added later included', async () => {
    const runsBefore = coordinator.runs.list().length;
    const writes = routeTable(coordinator.app).filter(({ method }) => method !== 'GET' && method !== 'HEAD');
    // The table is the app's own: the routes known today are in it, so the walk itself is checked.
    expect(writes.map(({ method, path }) => `${method} ${path}`)).toEqual(
      expect.arrayContaining(['POST /simulations', 'DELETE /simulations/:id', 'POST /queue-runs']),
    );
    for (const { method, path } of writes) {
      const url = `${coordinator.base}${path.replaceAll(/:[a-z]+/gi, '00000000-0000-4000-8000-000000000000')}`;
      const response = await fetch(url, { method, headers: json, body: method === 'DELETE' ? null : '{}' });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
    expect(coordinator.runs.list()).toHaveLength(runsBefore);
  });

  it('reading stays open: runs, health, readiness and metrics need no token', async () => {
    for (const path of ['/simulations', '/healthz', '/metrics']) expect((await fetch(`${coordinator.base}${path}`)).status, path).toBe(200);
  });
});

describe('queue runs in flight', () => {
  let coordinator: SpecCoordinator;
  beforeAll(async () => {
    coordinator = await startSpecCoordinator();
  });
  afterAll(async () => {
    await coordinator?.stop();
  });

  it(`past ${QUEUE_RUN_LIMITS.maxRunsInFlight} at once, the next gets 429 with Retry-After`, async () => {
    // A stand-in writer that takes run requests and never answers: each run then waits out the writer's reply timeout.
    const nc = await connect({ servers: coordinator.natsUrl });
    let received = 0;
    let allReceived: () => void = () => undefined;
    const piledUp = new Promise<void>((resolve) => (allReceived = resolve));
    nc.subscribe(WRITER_REQUEST_SUBJECT, {
      queue: 'writers',
      callback: () => {
        if (++received === QUEUE_RUN_LIMITS.maxRunsInFlight) allReceived();
      },
    });
    await nc.flush();
    const post = () =>
      fetch(`${coordinator.base}/queue-runs`, { method: 'POST', headers: json, body: '{"items":["a"],"writeDelayMs":0,"readDelayMs":0}' });
    const waiting = Array.from({ length: QUEUE_RUN_LIMITS.maxRunsInFlight }, post);
    await piledUp;
    const extra = await post();
    expect(extra.status).toBe(429);
    expect(extra.headers.get('retry-after')).toBe('5');
    expect(((await extra.json()) as { detail: string }).detail).toContain(`at most ${QUEUE_RUN_LIMITS.maxRunsInFlight}`);
    const statuses = (await Promise.all(waiting)).map((response) => response.status);
    expect(statuses).toEqual(Array(QUEUE_RUN_LIMITS.maxRunsInFlight).fill(503)); // writer-unavailable: no answer in time
    await nc.close();
  }, 30_000);
});
