import type { Logger } from '@concurrency-lab/logger';
import type { Request, RequestHandler, Response } from 'express';
import { requestIdFor } from './request-id.js';

/** What a request's lines say of it. */
interface RequestFields {
  id: string;
  method: string;
  url: string;
}

interface RequestLog {
  logger: Logger;
  req: RequestFields;
}

const REQUEST_LOG = Symbol('request log');
type LoggedRequest = Request & { id?: string; [REQUEST_LOG]?: RequestLog };

type Level = 'info' | 'warn' | 'error';

const levelOf = (response: Response, error: unknown): Level =>
  error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info';

/**
 * One line per request once it is answered (or aborted): its id, method and
 * url, the run it started (a route puts the id in response.locals.runId), the
 * status and the time it took; info, warn from 400, error from 500. The
 * lines are pino-http's, field for field. Unlike pino-http it makes no child
 * logger per request (pino turns each new child into a prototype, tens of µs
 * each): the fields go with the line, and only when its level is logged.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (request: LoggedRequest, response, next) => {
    const id = requestIdFor(request, response);
    request.id = id;
    const req: RequestFields = { id, method: request.method, url: request.originalUrl };
    request[REQUEST_LOG] = { logger, req };
    const startedAt = Date.now();
    const done = (error?: Error) => {
      response.off('close', done);
      response.off('finish', done);
      response.off('error', done);
      const level = levelOf(response, error);
      if (!logger.isLevelEnabled(level)) return;
      const runId: unknown = response.locals['runId'];
      const fields = {
        req,
        ...(typeof runId === 'string' ? { runId } : {}),
        res: { statusCode: response.headersSent ? response.statusCode : null },
      };
      const responseTime = Date.now() - startedAt;
      if (error || response.statusCode >= 500) {
        const err = error ?? new Error(`failed with status code ${response.statusCode}`);
        logger[level]({ ...fields, err, responseTime }, 'request errored');
        return;
      }
      const completed = !request.readableAborted && response.writableEnded;
      logger[level]({ ...fields, responseTime }, completed ? 'request completed' : 'request aborted');
    };
    response.on('close', done);
    response.on('finish', done);
    response.on('error', done);
    next();
  };
}

/** Logs at error about a request that failed, naming it as its request line does. */
export function logRequestError(request: Request, error: unknown, message: string): void {
  const log = (request as LoggedRequest)[REQUEST_LOG];
  log?.logger.error({ req: log.req, err: error }, message);
}
