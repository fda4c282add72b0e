import { Router } from 'express';

/** GET /healthz: the process is up and serving. */
export function healthRouter(service: string): Router {
  const router = Router();
  const startedAt = Date.now();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok', service, pid: process.pid, uptimeMs: Date.now() - startedAt });
  });
  return router;
}
