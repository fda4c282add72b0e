import type { Logger } from '@concurrency-lab/logger';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { healthRouter } from './health.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { HttpProblem, sendProblem } from './problem.js';
import { jsonKindOf } from './validate.js';
import type { Readiness } from '@concurrency-lab/lifecycle';
import { readinessRouter } from './readiness.js';
import { requestIdFor } from './request-id.js';
import { requestSpan } from './request-span.js';
import { requestDuration, type MetricsEndpoint } from './request-duration.js';

export interface ServiceAppOptions {
  logger: Logger;
  /** Named in GET /healthz. */
  service: string;
  /** Largest JSON body accepted; larger ones get 413. */
  bodyLimit?: string;
  /** Answers GET /readyz; without it the service has /healthz only. */
  readiness?: Readiness;
  /** Answers GET /metrics (Prometheus's text format: libs/metrics' metricsHandler); every request is timed into its registry. */
  metrics?: MetricsEndpoint;
  /** Runs after request logging and before any body is read: the place for auth, so a refused request costs no parsing. */
  beforeBody?: RequestHandler;
}

/** JSON bodies are the only kind this API reads; say so instead of ignoring them. */
const requireJson: RequestHandler = (request, _response, next) => {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (hasBody && !request.is('application/json')) {
    next(new HttpProblem(415, 'Unsupported media type', 'send the body as application/json'));
    return;
  }
  // JSON between systems is UTF-8 (RFC 8259). Another charset is refused rather than decoded: a
  // one-byte body read as UTF-16 decodes to nothing, and nothing would mean "run the defaults".
  const charset = /;\s*charset="?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
  if (hasBody && charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    next(new HttpProblem(415, 'Unsupported media type', `send the body as UTF-8 JSON, not ${charset}`));
    return;
  }
  next();
};

/**
 * An Express app with the basics every service shares: GET /healthz (alive),
 * GET /readyz (able to take work; when given a Readiness), request ids, one
 * log line per request, JSON bodies with a size limit, no X-Powered-By.
 * Routes go on the returned app; call finishApp() after them.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // First, so that the time counts every middleware, health checks and scrapes included.
  if (options.metrics) app.use(requestDuration(options.metrics.registry));
  // Security headers on every answer (helmet's defaults: a same-origin CSP, nosniff, frame-ancestors,
  // same-origin resource policy...), less the two that assume HTTPS: these services speak plain HTTP
  // on loopback or a compose network, where HSTS is ignored and upgrading requests would break the page.
  // No CORS headers are ever set: other origins' browsers are refused by default.
  app.use(helmet({ strictTransportSecurity: false, contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  // First, ahead of request logging: probes and scrapes come every few seconds and should cost next to nothing.
  app.use(healthRouter(options.service));
  if (options.readiness) app.use(readinessRouter(options.readiness));
  if (options.metrics) app.get('/metrics', options.metrics);
  // Probes and scrapes above are neither traced nor logged; every other request is, in a span of its own.
  const span = requestSpan();
  if (span) app.use(span);
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: requestIdFor,
      // A route that starts a run puts its id in response.locals: the request's own line then names the run too.
      customProps: (_request, response) => {
        const runId = (response as unknown as { locals?: Record<string, unknown> }).locals?.['runId'];
        return typeof runId === 'string' ? { runId } : {};
      },
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        req: (request: { id: unknown; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    }),
  );
  // Ahead of auth and body: a method the path does not answer is refused as such, whatever else the request holds.
  app.use(methodNotAllowed(app));
  if (options.beforeBody) app.use(options.beforeBody);
  app.use(requireJson);
  app.use(express.json({ limit: options.bodyLimit ?? '100kb', strict: true }));
  return app;
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
  /** The raw text that failed to parse. */
  body?: unknown;
}

/**
 * The JSON parser takes objects and arrays only. Text it refused may still be
 * valid JSON (null, "x", 5): say that it is the wrong kind of value, not bad JSON.
 */
function unparsedBodyProblem(text: unknown): HttpProblem {
  let reason = 'is not valid JSON';
  try {
    if (typeof text === 'string') reason = `must be a JSON object, not ${jsonKindOf(JSON.parse(text.replace(/^\ufeff/, '')))}`;
  } catch {
    // Not JSON at all: the reason stands.
  }
  return HttpProblem.badRequest(`body: ${reason}`, [{ name: 'body', reason }]);
}

const errorHandler: ErrorRequestHandler = (error: unknown, request, response, next) => {
  if (response.headersSent) {
    next(error);
    return;
  }
  const parserError = error as BodyParserError;
  let problem: HttpProblem;
  if (error instanceof HttpProblem) {
    problem = error;
  } else if (parserError.type === 'entity.parse.failed') {
    problem = unparsedBodyProblem(parserError.body);
  } else if (parserError.type === 'entity.too.large') {
    problem = new HttpProblem(413, 'Body too large', `body: must be at most ${parserError.limit} bytes`);
  } else if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    problem = new HttpProblem(parserError.status, 'Bad request', parserError.message);
  } else {
    // Internals stay in the log; the caller gets a plain 500.
    request.log.error({ err: error }, 'request failed');
    problem = new HttpProblem(500, 'Internal server error', 'the request failed; the log has the details');
  }
  sendProblem(response, problem, request.originalUrl);
};

/** Adds the 404 and error handlers; call after the routes. */
export function finishApp(app: Express): Express {
  app.use((request, _response, next) => {
    next(new HttpProblem(404, 'Not found', `${request.method} ${request.path} is not a route of this service`));
  });
  app.use(errorHandler);
  return app;
}
