import type { Express, RequestHandler } from 'express';
import { HttpProblem } from './problem.js';

/** What this module reads of Express 5's router layers: a route, or a router mounted with use(). */
interface RouterLayer {
  match(path: string): false | { path: string };
  route?: { methods: Record<string, boolean | undefined> };
  handle: { stack?: readonly RouterLayer[] };
}

/**
 * The methods the routes in `stack` answer at `path` (HEAD with GET, as
 * Express answers it). Read from the app's own routes when asked, so a route
 * added anywhere is known here without being listed twice.
 */
export function allowedMethods(stack: readonly RouterLayer[], path: string, into = new Set<string>()): Set<string> {
  for (const layer of stack) {
    const matched = layer.match(path);
    if (!matched) continue;
    if (layer.route) {
      for (const [method, handled] of Object.entries(layer.route.methods)) if (handled && method !== '_all') into.add(method.toUpperCase());
    } else if (layer.handle.stack) {
      allowedMethods(layer.handle.stack, path.slice(matched.path.length) || '/', into);
    }
  }
  if (into.has('GET')) into.add('HEAD');
  return into;
}

/** Paths whose allowed methods are remembered at most; past it the memory starts again (ids in paths make them many). */
const REMEMBERED_PATHS = 256;

/**
 * 405 with an Allow header for a path the app has routes for, asked with a
 * method none of them answers, before any body is read. OPTIONS is left to
 * Express, which answers it with the same Allow list. Each path's methods are
 * remembered (walking every router's layers cost each request ~10-20 µs), and
 * forgotten whenever a layer is added to the app.
 */
export function methodNotAllowed(app: Express): RequestHandler {
  const remembered = new Map<string, Set<string>>();
  let layers = -1;
  const allowedAt = (path: string): Set<string> => {
    const stack = app.router.stack as unknown as RouterLayer[];
    if (stack.length !== layers || remembered.size >= REMEMBERED_PATHS) {
      remembered.clear();
      layers = stack.length;
    }
    let allowed = remembered.get(path);
    if (!allowed) remembered.set(path, (allowed = allowedMethods(stack, path)));
    return allowed;
  };
  return (request, _response, next) => {
    if (request.method === 'OPTIONS') {
      next();
      return;
    }
    const allowed = allowedAt(request.path);
    if (allowed.size === 0 || allowed.has(request.method)) {
      next();
      return;
    }
    const allow = [...allowed].sort().join(', ');
    next(
      new HttpProblem(
        405,
        'Method not allowed',
        `${request.method} ${request.path}: this path answers ${allow}`,
        { allow: [...allowed].sort() },
        { Allow: allow },
      ),
    );
  };
}
