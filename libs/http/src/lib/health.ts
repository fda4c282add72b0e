import { Router } from 'express';
import { z } from 'zod';

/** GET /healthz's answer. */
export const healthSchema = z
  .strictObject({ status: z.literal('ok'), service: z.string(), pid: z.number().int().positive(), uptimeMs: z.number().int().min(0) })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof healthSchema>;

/** GET /healthz: the process is up and serving. */
export function healthRouter(service: string): Router {
  const router = Router();
  const startedAt = Date.now();
  router.get('/healthz', (_request, response) => {
    const health: Health = { status: 'ok', service, pid: process.pid, uptimeMs: Date.now() - startedAt };
    response.json(health);
  });
  return router;
}
