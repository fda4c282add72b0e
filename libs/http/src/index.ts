export { requireBearerToken } from './lib/bearer-token.js';
export { createServiceApp, finishApp, type ServiceAppOptions } from './lib/create-app.js';
export { openEventStream, type EventStream } from './lib/event-stream.js';
export { healthSchema, type Health } from './lib/health.js';
export { allowedMethods, methodNotAllowed } from './lib/method-not-allowed.js';
export {
  HttpProblem,
  invalidParamSchema,
  PROBLEM_CONTENT_TYPE,
  problemDetailsSchema,
  sendProblem,
  type InvalidParam,
  type ProblemDetails,
} from './lib/problem.js';
export { REQUEST_ID_HEADER, requestIdOf } from './lib/request-id.js';
export {
  Readiness,
  readinessRouter,
  readyAnswerSchema,
  SHUTDOWN_CHECK,
  type CheckResult,
  type ReadinessCheck,
  type ReadinessReport,
} from './lib/readiness.js';
export { closeHttpServer, startHttpServer, type HttpServerOptions } from './lib/server.js';
export { fieldName, jsonKindOf, parseBody } from './lib/validate.js';
