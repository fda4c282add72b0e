export { requireBearerToken } from './lib/bearer-token.js';
export { createServiceApp, finishApp } from './lib/create-app.js';
export { openEventStream } from './lib/event-stream.js';
export { healthSchema } from './lib/health.js';
export { HttpProblem, problemDetailsSchema } from './lib/problem.js';
export { requestIdOf } from './lib/request-id.js';
export { readyAnswerSchema } from './lib/readiness.js';
export { closeHttpServer, startHttpServer, startServiceServer } from './lib/server.js';
export { parseBody } from './lib/validate.js';
