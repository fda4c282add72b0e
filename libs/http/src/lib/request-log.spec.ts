import { captureLogs } from '@concurrency-lab/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, finishApp } from './create-app.js';
import { closeHttpServer, startHttpServer } from './server.js';

describe('request logging', () => {
  const logs = captureLogs('spec');
  const quiet = captureLogs('spec', 'warn');
  let server: Server;
  let quietServer: Server;
  const base = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

  const start = async (logger: typeof logs.logger) => {
    const app = createServiceApp({ logger, service: 'spec' });
    app.post('/runs', (_request, response) => {
      response.locals['runId'] = 'run-1';
      response.status(201).json({ ok: true });
    });
    app.get('/boom', () => {
      throw new Error('secret internals');
    });
    return startHttpServer(finishApp(app), { host: '127.0.0.1', port: 0, logger });
  };

  beforeAll(async () => {
    server = await start(logs.logger);
    quietServer = await start(quiet.logger);
  });
  afterAll(async () => {
    await closeHttpServer(server);
    await closeHttpServer(quietServer);
  });

  const linesOf = (id: string) =>
    logs.lines
      .filter((line) => (line['req'] as { id?: string } | undefined)?.id === id)
      .map(({ time: _time, pid: _pid, host: _host, ...line }): Record<string, unknown> => ({
        ...line,
        responseTime: typeof line['responseTime'],
      }));

  it("logs each answered request once, with its id, method, url, run, status and time, as pino-http's lines", async () => {
    const response = await fetch(`${base(server)}/runs?x=1`, { method: 'POST', headers: { 'x-request-id': 'given-1' } });
    expect(response.headers.get('x-request-id')).toBe('given-1');
    await logs.waitForLine((line) => line.msg === 'request completed' && JSON.stringify(line['req']).includes('given-1'));
    const [line] = linesOf('given-1');
    expect(line).toEqual({
      level: 'info',
      service: 'spec',
      req: { id: 'given-1', method: 'POST', url: '/runs?x=1' },
      runId: 'run-1',
      res: { statusCode: 201 },
      responseTime: 'number',
      msg: 'request completed',
    });
    expect(Object.keys(line ?? {})).toEqual(['level', 'service', 'req', 'runId', 'res', 'responseTime', 'msg']);
  });

  it('logs a 4xx at warn, a 5xx at error with the failure, and nothing below the level', async () => {
    await fetch(`${base(server)}/nope`, { headers: { 'x-request-id': 'missing-1' } });
    await fetch(`${base(server)}/boom`, { headers: { 'x-request-id': 'boom-1' } });
    await logs.waitForLine((line) => line.msg === 'request errored');
    expect(linesOf('missing-1').map((l) => [l['level'], l['res'], l['msg']])).toEqual([['warn', { statusCode: 404 }, 'request completed']]);
    const boom = linesOf('boom-1');
    expect(boom.map((l) => [l['level'], l['msg']])).toEqual([
      ['error', 'request failed'],
      ['error', 'request errored'],
    ]);
    expect(boom[0]?.['err']).toMatchObject({ type: 'Error', message: 'secret internals' });
    expect(boom[1]?.['err']).toMatchObject({ message: 'failed with status code 500' });

    await fetch(`${base(quietServer)}/runs`, { method: 'POST', headers: { 'x-request-id': 'quiet-ok' } });
    await fetch(`${base(quietServer)}/nope`, { headers: { 'x-request-id': 'quiet-404' } });
    await quiet.waitForLine((line) => line.msg === 'request completed');
    expect(quiet.lines.filter((l) => l.msg === 'request completed').map((l) => (l['req'] as { id: string }).id)).toEqual(['quiet-404']);
  });
});
