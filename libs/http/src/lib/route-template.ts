import type { Request } from 'express';

/** What a request no route answered is called (404, 405, or refused before its route: 401, 413, 415). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The Express route template that answered (e.g. `/simulations/:id`), never
 * the raw path: metric labels and span names stay as few as the routes,
 * whatever paths are asked. Known once the request has been routed.
 */
export function routeTemplateOf(request: Request): string {
  const path: unknown = (request.route as { path?: unknown } | undefined)?.path;
  if (path === undefined) return UNMATCHED_ROUTE;
  return `${request.baseUrl}${typeof path === 'string' ? path : String(path)}`;
}
