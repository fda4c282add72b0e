import type { Bindings, Logger } from 'pino';

const LEVELS: ReadonlySet<string> = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);
const noop = () => undefined;

function deferredChild(parent: () => Logger, levels: Pick<Logger, 'isLevelEnabled'>, bindings: Bindings): Logger {
  let child: Logger | undefined;
  const made = () => (child ??= parent().child(bindings));
  const lazy: Logger = new Proxy({} as Logger, {
    get(_target, key) {
      if (child === undefined) {
        // Below the level a line is dropped anyway: no child needed for it.
        if (typeof key === 'string' && LEVELS.has(key) && !levels.isLevelEnabled(key)) return noop;
        if (key === 'isLevelEnabled') return (level: string) => levels.isLevelEnabled(level);
        if (key === 'child')
          return (more: Bindings, options?: object) =>
            options === undefined ? deferredChild(made, lazy, more) : made().child(more, options);
      }
      const real = made();
      const value: unknown = Reflect.get(real, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real) : value;
    },
    set: (_target, key, value) => Reflect.set(made(), key, value),
    has: (_target, key) => Reflect.has(made(), key),
  });
  return lazy;
}

/**
 * `parent.child(bindings)`, made only when first needed: when a line at a
 * level that is logged is written, or anything else is asked of it. pino
 * turns each new child into a prototype, which costs tens of µs for a child
 * of a child; a run whose lines are all below the level (the bench logs at
 * warn) then pays nothing for them. A child of it is as lazy.
 */
export function lazyChild(parent: Logger, bindings: Bindings): Logger {
  return deferredChild(() => parent, parent, bindings);
}
