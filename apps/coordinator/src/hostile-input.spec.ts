import { queueRunRequestSchema } from '@concurrency-lab/queue-runs';
import { simulationBodySchema as simulationRequestSchema } from './simulation-api.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.js';
import { startSpecCoordinator, type SpecCoordinator } from './support/spec-coordinator.js';

/**
 * Hostile input, thrown at every endpoint by fast-check: the answer is always
 * a 4xx problem+json (these bodies are all invalid by construction), never a
 * 5xx, a hang or a crash, and a rejected request changes nothing.
 */

const FIELDS = [
  'mode',
  'modes',
  'items',
  'count',
  'minMs',
  'maxMs',
  'tasks',
  'seed',
  'workload',
  'scale',
  'waitMs',
  'transport',
  'readerStart',
  'runId',
  'writeDelayMs',
  'readDelayMs',
];
const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

const hostileScalar = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    '',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '-0',
    '0x10',
    ' 5',
    '５',
    '<script>alert(1)</script>',
    '\u0000',
    '\ud800',
    '../../etc/passwd',
  ),
  fc.double(),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53 + 1, -1, 0, 1e21),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const hostileKey = fc.oneof(fc.constantFrom(...FIELDS, ...POLLUTING_KEYS), fc.string({ maxLength: 12 }));
const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
}));

/** A plausible body with one field made hostile, or a hostile body whole. */
const hostileBody = (base: Record<string, unknown>) =>
  fc.oneof(
    fc
      .record({ field: fc.constantFrom(...Object.keys(base), ...FIELDS), value: hostileValue })
      .map(({ field, value }) => ({ ...base, [field]: value })),
    hostileValue,
  );

/** Raw text no JSON parser should accept quietly: broken JSON, deep nesting, pollution attempts. */
const hostileText = fc.oneof(
  fc.constantFrom(
    '{',
    '{"items": [',
    'null',
    '[]',
    '"text"',
    '{"a":1,"a":2}',
    '\ufeff{}',
    '{"__proto__": {"polluted": true}}',
    '{"constructor": {"prototype": {"polluted": true}}}',
  ),
  fc.integer({ min: 1, max: 100_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.string({ maxLength: 200 }),
);

/** The body as Express reads it: a leading byte-order mark is dropped, as RFC 8259 allows. */
function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    return undefined;
  }
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

describe('hostile input at every endpoint', () => {
  let coordinator: SpecCoordinator;
  beforeAll(async () => {
    coordinator = await startSpecCoordinator();
  });
  afterAll(async () => {
    await coordinator?.stop();
  });

  const send = async (method: string, path: string, body?: string, contentType = 'application/json'): Promise<Answer> => {
    const response = await fetch(`${coordinator.base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body,
      signal: AbortSignal.timeout(10_000), // an answer, not a hang
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  };

  /** A clear refusal: 4xx, problem+json with a detail, and nothing of the server's insides. */
  const expectRefusal = (answer: Answer) => {
    expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
    expect(answer.status, answer.text).toBeLessThan(500);
    expect(answer.contentType).toContain('application/problem+json');
    const problem = JSON.parse(answer.text) as { detail?: unknown; stack?: unknown };
    expect(typeof problem.detail).toBe('string');
    expect(answer.text).not.toMatch(/node_modules|\.ts:\d+|at [\w.]+ \(/);
  };

  const propertyOptions = { numRuns: 150, interruptAfterTimeLimit: 60_000 };

  it('POST /simulations: every invalid body gets a 4xx problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileBody({ mode: 'sequential', count: 2, minMs: 1, maxMs: 2 }).filter(
          (body) => !simulationRequestSchema.safeParse(body).success,
        ),
        async (body) => expectRefusal(await send('POST', '/simulations', JSON.stringify(body))),
      ),
      propertyOptions,
    );
  }, 120_000);

  it('POST /queue-runs: every invalid body gets a 4xx problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileBody({ items: ['a'], writeDelayMs: 0, readDelayMs: 0 }).filter((body) => !queueRunRequestSchema.safeParse(body).success),
        async (body) => expectRefusal(await send('POST', '/queue-runs', JSON.stringify(body))),
      ),
      propertyOptions,
    );
  }, 120_000);

  it('raw text that is not a valid body, and bodies in the wrong content type, get a 4xx problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/simulations', '/queue-runs'),
        hostileText,
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=utf-16',
          'multipart/form-data; boundary=x',
        ),
        async (path, text, contentType) => {
          // No body at all means "the defaults" (the lesson's run), and some strings are valid bodies: those are not hostile.
          const schema = path === '/simulations' ? simulationRequestSchema : queueRunRequestSchema;
          fc.pre(text !== '' && !(contentType === 'application/json' && schema.safeParse(parsedOrUndefined(text)).success));
          expectRefusal(await send('POST', path, text, contentType));
        },
      ),
      propertyOptions,
    );
  }, 120_000);

  it('hostile ids and paths get a 4xx problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
        fc.constantFrom('GET', 'DELETE'),
        fc.constantFrom(
          '/simulations/:id',
          '/simulations/:id/events',
          '/simulations/:id/timeline.svg',
          '/queue-runs/:id',
          '/queue-runs/:id/timeline.svg',
        ),
        async (id, method, route) => {
          fc.pre(method === 'GET' || route === '/simulations/:id');
          expectRefusal(await send(method, route.replace(':id', encodeURIComponent(id))));
        },
      ),
      propertyOptions,
    );
  }, 120_000);

  const fieldsOf = (schema: typeof simulationRequestSchema | typeof queueRunRequestSchema) => Object.keys(schema.shape);

  it('an unknown field gets a 400 naming it in our words, with the fields there are', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/simulations', '/queue-runs'), fc.string({ minLength: 1, maxLength: 20 }), async (path, key) => {
        const fields = fieldsOf(path === '/simulations' ? simulationRequestSchema : queueRunRequestSchema);
        fc.pre(!fields.includes(key) && !POLLUTING_KEYS.includes(key));
        const answer = await send('POST', path, JSON.stringify({ [key]: 1 }));
        expectRefusal(answer);
        const problem = JSON.parse(answer.text) as { detail: string; invalidParams: { name: string; reason: string }[] };
        const reason = `is not a field of this request (fields: ${fields.join(', ')})`;
        expect(problem.invalidParams).toContainEqual({ name: /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key), reason });
        expect(problem.detail).not.toMatch(/Unrecognized key/);
      }),
      { numRuns: 60 },
    );
    const itemz = JSON.parse((await send('POST', '/queue-runs', '{"itemz":1}')).text) as { detail: string };
    expect(itemz.detail).toBe(`itemz: is not a field of this request (fields: ${fieldsOf(queueRunRequestSchema).join(', ')})`);
  }, 120_000);

  it('a body that is valid JSON but not an object gets a 400 saying so, not "invalid JSON"', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/simulations', '/queue-runs'),
        fc.jsonValue({ maxDepth: 2 }).filter((value) => value === null || typeof value !== 'object' || Array.isArray(value)),
        async (path, value) => {
          const answer = await send('POST', path, JSON.stringify(value));
          expectRefusal(answer);
          expect(answer.status).toBe(400);
          const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
          expect(JSON.parse(answer.text)).toMatchObject({
            detail: `body: must be a JSON object, not ${kind}`,
            invalidParams: [{ name: 'body' }],
          });
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('every documented path asked with a method it does not answer gets 405, an Allow header listing the methods it does, and no run', async () => {
    const paths = Object.entries(openApiDocument()['paths'] as Record<string, Record<string, unknown>>);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        hostileText,
        async ([template, operations], method, body) => {
          const documented = Object.keys(operations)
            .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
            .map((key) => key.toUpperCase());
          fc.pre(!documented.includes(method));
          const allow = [...documented, ...(documented.includes('GET') ? ['HEAD'] : [])].sort().join(', ');
          const path = template.replace('{id}', '00000000-0000-4000-8000-000000000000');
          // fetch sends no body with GET.
          const withBody = method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body };
          const response = await fetch(`${coordinator.base}${path}`, { method, ...withBody, signal: AbortSignal.timeout(10_000) });
          const answer = { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
          expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(405);
          expectRefusal(answer);
          expect(response.headers.get('allow')).toBe(allow);
          expect(JSON.parse(answer.text)).toMatchObject({ detail: `${method} ${path}: this path answers ${allow}` });
        },
      ),
      { numRuns: 80 },
    );
  }, 120_000);

  it('an oversized body gets 413, and the service is still up, unchanged and unpolluted after all of the above', async () => {
    const huge = JSON.stringify({ items: Array.from({ length: 200_000 }, (_, i) => `item ${i}`) });
    const answer = await send('POST', '/queue-runs', huge);
    expect(answer.status).toBe(413);
    expectRefusal(answer);
    expect((await send('GET', '/healthz')).status).toBe(200);
    // No rejected request started a run.
    expect(coordinator.runs.list()).toEqual([]);
    // No "__proto__" or "constructor" key reached an object's prototype in this process.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
