import type { Express } from 'express';

/** What this reads of Express 5's router layers: a route, or a router mounted with use(). */
interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean | undefined> };
  handle: { stack?: readonly RouteLayer[] };
}

/** Every route of the app with each method it answers, walked from its own route table ("POST /queue-runs"). */
export function routeTable(app: Express): { method: string; path: string }[] {
  const walk = (stack: readonly RouteLayer[]): { method: string; path: string }[] =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.entries(layer.route.methods)
            .filter(([method, handled]) => handled && method !== '_all')
            .map(([method]) => ({ method: method.toUpperCase(), path: layer.route!.path }))
        : walk(layer.handle.stack ?? []),
    );
  return walk(app.router.stack as unknown as RouteLayer[]);
}
