import { REQUEST_ID_HEADER } from '@concurrency-lab/logger';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/**
 * The caller's X-Request-Id when it is a sane token, a fresh UUID otherwise;
 * echoed on the response so both ends can find the same log lines.
 */
export function requestIdFor(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/** The id requestIdFor gave this request (pino-http stores it as request.id). */
export function requestIdOf(request: IncomingMessage): string {
  return String((request as IncomingMessage & { id?: unknown }).id ?? '');
}
