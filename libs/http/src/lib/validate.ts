import type { z } from 'zod';
import { HttpProblem, type InvalidParam } from './problem.js';

/** `tasks[0].durationMs` from zod's ['tasks', 0, 'durationMs']; `body` for the root. */
export function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'body';
  return path.reduce<string>((name, key) => {
    if (typeof key === 'number') return `${name}[${key}]`;
    return name ? `${name}.${String(key)}` : String(key);
  }, '');
}

/**
 * Parses a request body against its schema. Invalid input becomes a 400
 * problem whose detail names the first bad field and whose invalidParams
 * lists all of them.
 */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const invalidParams: InvalidParam[] = parsed.error.issues.slice(0, 20).map((issue) => ({
    name: fieldName(issue.path),
    reason: issue.message,
  }));
  const first = invalidParams[0] ?? { name: 'body', reason: 'is invalid' };
  throw HttpProblem.badRequest(`${first.name}: ${first.reason}`, invalidParams);
}
