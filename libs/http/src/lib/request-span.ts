import { labTracer, tracingIsOn } from '@concurrency-lab/tracing';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { RequestHandler } from 'express';
import { routeTemplateOf } from './route-template.js';

/**
 * A SERVER span per request, continuing the caller's trace when it sends a
 * W3C `traceparent`. The rest of the chain runs inside it, so every line
 * logged for the request (pino-http's included) carries its trace and span
 * ids. Named `METHOD /route/template` once routed (HTTP semantic conventions).
 * Undefined while tracing is off: then there is no middleware at all.
 */
export function requestSpan(): RequestHandler | undefined {
  if (!tracingIsOn()) return undefined;
  const tracer = labTracer();
  return (request, response, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      request.method,
      {
        kind: SpanKind.SERVER,
        attributes: { [ATTR_HTTP_REQUEST_METHOD]: request.method, [ATTR_URL_PATH]: request.path, [ATTR_URL_SCHEME]: 'http' },
      },
      parent,
    );
    response.once('close', () => {
      const route = routeTemplateOf(request);
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ [ATTR_HTTP_ROUTE]: route, [ATTR_HTTP_RESPONSE_STATUS_CODE]: response.statusCode });
      if (!response.writableFinished)
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client went away before the answer was sent' });
      else if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
