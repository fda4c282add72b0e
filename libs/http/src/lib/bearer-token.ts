import type { RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpProblem } from './problem.js';

/** Both sides hashed first: equal lengths for timingSafeEqual, and no length leaked by an early exit. */
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Requires `Authorization: Bearer <token>`: 401 problem+json (with
 * WWW-Authenticate) when it is missing or wrong. The comparison takes the
 * same time whatever the caller sent.
 */
export function requireBearerToken(token: string): RequestHandler {
  const expected = digest(token);
  return (request, _response, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (match && timingSafeEqual(digest(match[1] as string), expected)) {
      next();
      return;
    }
    const detail = match ? 'the bearer token is not the right one' : 'send Authorization: Bearer <token> (COORDINATOR_TOKEN is set)';
    next(new HttpProblem(401, 'Unauthorized', detail, {}, { 'WWW-Authenticate': 'Bearer realm="concurrency-lab"' }));
  };
}
