import { PassThrough } from 'node:stream';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@concurrency-lab/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp, finishApp } from './create-app.js';
import { closeHttpServer, startHttpServer } from './server.js';
import { parseBody } from './validate.js';

const logger = createLogger({ service: 'spec', destination: process.env['SPEC_LOGS'] ? process.stdout : new PassThrough() });
const orderSchema = z.object({ items: z.array(z.strictObject({ qty: z.number().int().min(1) })).min(1) }).strict();

describe('service app', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const app = createServiceApp({ logger, service: 'spec', bodyLimit: '1kb' });
    app.post('/orders', (request, response) => {
      const order = parseBody(orderSchema, request.body);
      response.status(201).json(order);
    });
    app.get('/boom', () => {
      throw new Error('secret internals');
    });
    finishApp(app);
    server = await startHttpServer(app, { host: '127.0.0.1', port: 0, logger });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await closeHttpServer(server);
  });

  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('accepts a valid body', async () => {
    const response = await post('/orders', JSON.stringify({ items: [{ qty: 2 }] }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ items: [{ qty: 2 }] });
  });

  it('answers a bad field with 400 problem+json naming it', async () => {
    const response = await post('/orders', JSON.stringify({ items: [{ qty: 0 }] }));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { detail: string; invalidParams: { name: string }[]; status: number };
    expect(problem.status).toBe(400);
    expect(problem.detail).toMatch(/^items\[0\]\.qty: /);
    expect(problem.invalidParams.map((param) => param.name)).toEqual(['items[0].qty']);
  });

  it('names an unknown key in its own words, with the fields there are, at the top and nested', async () => {
    const response = await post('/orders', JSON.stringify({ items: [{ qty: 1, colour: 'red' }], extra: true, 'two words': 1 }));
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { detail: string; invalidParams: { name: string; reason: string }[] };
    expect(problem.invalidParams).toEqual([
      { name: 'items[0].colour', reason: 'is not a field of items[0] (fields: qty)' },
      { name: 'extra', reason: 'is not a field of this request (fields: items)' },
      { name: '"two words"', reason: 'is not a field of this request (fields: items)' },
    ]);
    expect(problem.detail).toBe('items[0].colour: is not a field of items[0] (fields: qty)');
  });

  it('tells a body that is valid JSON but not an object from one that is not JSON', async () => {
    for (const [text, kind] of [
      ['null', 'null'],
      ['"x"', 'a string'],
      ['5', 'a number'],
      ['true', 'a boolean'],
      ['[1]', 'an array'],
    ] as const) {
      const response = await post('/orders', text);
      expect(response.status, text).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json(), text).toMatchObject({
        detail: `body: must be a JSON object, not ${kind}`,
        invalidParams: [{ name: 'body' }],
      });
    }
    expect(((await (await post('/orders', 'nul')).json()) as { detail: string }).detail).toBe('body: is not valid JSON');
  });

  it('answers a known path asked with a method it does not answer with 405 and Allow, before reading the body', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/orders', 'POST'],
      ['DELETE', '/healthz', 'GET, HEAD'],
      ['POST', '/boom', 'GET, HEAD'],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'text/plain' }, body: 'not even JSON' });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 405, detail: `${method} ${path}: this path answers ${allow}` });
    }
    expect((await fetch(`${base}/boom`, { method: 'HEAD' })).status).toBe(500); // HEAD goes with GET
    expect((await fetch(`${base}/nowhere`, { method: 'PUT' })).status).toBe(404);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await post('/orders', '{"items": [');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { invalidParams: { name: string }[] }).invalidParams[0]?.name).toBe('body');
  });

  it('answers a body over the limit with 413', async () => {
    const response = await post('/orders', JSON.stringify({ items: Array.from({ length: 200 }, () => ({ qty: 1 })) }));
    expect(response.status).toBe(413);
  });

  it('answers a non-JSON body with 415', async () => {
    const response = await post('/orders', 'qty=1', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(415);
  });

  it('answers JSON in a charset other than UTF-8 with 415, and takes UTF-8 spelled either way', async () => {
    const refused = await post('/orders', ' ', 'application/json; charset=utf-16');
    expect(refused.status).toBe(415);
    expect(((await refused.json()) as { detail: string }).detail).toContain('utf-16');
    expect((await post('/orders', JSON.stringify({ items: [{ qty: 1 }] }), 'application/json; charset="UTF-8"')).status).toBe(201);
  });

  it('sends security headers, and no CORS header to another origin, even on its preflight', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(response.headers.get('strict-transport-security')).toBeNull(); // plain HTTP: HSTS would mean nothing
    const preflight = await fetch(`${base}/orders`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://elsewhere.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
    const crossOrigin = await post('/orders', JSON.stringify({ items: [{ qty: 1 }] }));
    expect(crossOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const response = await fetch(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('hides internals of an unexpected error', async () => {
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret internals');
  });

  it('echoes a sane X-Request-Id and replaces a hostile one', async () => {
    const kept = await fetch(`${base}/nowhere`, { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await fetch(`${base}/nowhere`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports health with service and pid', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(await response.json()).toMatchObject({ status: 'ok', service: 'spec', pid: process.pid });
  });
});
