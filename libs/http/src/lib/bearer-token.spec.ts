import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { createLogger } from '@concurrency-lab/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBearerToken } from './bearer-token.js';
import { createServiceApp, finishApp } from './create-app.js';
import { closeHttpServer, startHttpServer } from './server.js';

const TOKEN = 'a-long-enough-test-token-0123456789';

describe('requireBearerToken', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const logger = createLogger({ service: 'spec', destination: new PassThrough() });
    // Wired as the coordinator wires it: the guard goes before the body is read.
    const app = createServiceApp({ logger, service: 'spec', beforeBody: express.Router().post('/work', requireBearerToken(TOKEN)) });
    app.post('/work', (_request, response) => void response.status(201).json({ started: true }));
    app.get('/work', (_request, response) => void response.json({ open: true }));
    server = await startHttpServer(finishApp(app), { host: '127.0.0.1', port: 0, logger });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await closeHttpServer(server);
  });

  const post = (authorization?: string) =>
    fetch(`${base}/work`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: '{}',
    });

  it('lets a request with the token through, however "Bearer" is spelled', async () => {
    expect((await post(`Bearer ${TOKEN}`)).status).toBe(201);
    expect((await post(`bearer ${TOKEN}`)).status).toBe(201);
  });

  it('answers a missing, wrong or malformed token with 401 problem+json and WWW-Authenticate', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, 'Bearer']) {
      const response = await post(authorization);
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="concurrency-lab"');
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.text()).not.toContain(TOKEN);
    }
  });

  it('refuses before reading the body: no token and a broken or non-JSON body still get 401', async () => {
    const broken = await fetch(`${base}/work`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"not json' });
    expect(broken.status).toBe(401);
    const text = await fetch(`${base}/work`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(401);
  });

  it('guards only the routes it is put on', async () => {
    expect((await fetch(`${base}/work`)).status).toBe(200);
  });
});
