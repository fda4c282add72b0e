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

/** "null", "an array", "a string"...: a JSON value's kind, for a message. */
export function jsonKindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** zod's internals as far as this module walks them (zod 4's `_zod.def`, its documented core). */
interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  element?: { _zod: { def: SchemaDef } };
  innerType?: { _zod: { def: SchemaDef } };
  in?: { _zod: { def: SchemaDef } };
}

/** Sees through optional, default, pipe and the like to the schema that has the fields. */
function unwrap(def: SchemaDef): SchemaDef {
  let current = def;
  for (let depth = 0; depth < 16; depth++) {
    const inner = current.innerType ?? (current.type === 'pipe' ? current.in : undefined);
    if (!inner) break;
    current = inner._zod.def;
  }
  return current;
}

/** The fields of the object schema at `path`, for a message about a key that is not one of them. */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let def: SchemaDef | undefined = unwrap(schema._zod.def as unknown as SchemaDef);
  for (const key of path) {
    const next: { _zod: { def: SchemaDef } } | undefined =
      typeof key === 'number' ? def.element : def.type === 'object' ? def.shape?.[String(key)] : undefined;
    if (!next) return [];
    def = unwrap(next._zod.def);
  }
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

/** A key as a field name: plain when it reads as one, quoted and cut short when it does not. */
const keyName = (key: string) => (/^[A-Za-z_$][\w$]{0,63}$/.test(key) ? key : JSON.stringify(key.slice(0, 64)));

/** One entry per problem; an unknown-keys issue becomes one per key, each saying what the fields are. */
function invalidParamsOf(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): InvalidParam[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') return [{ name: fieldName(issue.path), reason: issue.message }];
    const fields = fieldsAt(schema, issue.path);
    const of = issue.path.length === 0 ? 'this request' : fieldName(issue.path);
    const reason = `is not a field of ${of}${fields.length ? ` (fields: ${fields.join(', ')})` : ''}`;
    return issue.keys.map((key) => ({ name: fieldName([...issue.path, keyName(key)]), reason }));
  });
}

/**
 * Parses a request body against its schema; no body at all is `{}`, the
 * defaults. Anything else must be a JSON object. Invalid input becomes a 400
 * problem whose detail names the first bad field and whose invalidParams
 * lists all of them.
 */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    const reason = `must be a JSON object, not ${jsonKindOf(body)}`;
    throw HttpProblem.badRequest(`body: ${reason}`, [{ name: 'body', reason }]);
  }
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const invalidParams = invalidParamsOf(schema, parsed.error.issues).slice(0, 20);
  const first = invalidParams[0] ?? { name: 'body', reason: 'is invalid' };
  throw HttpProblem.badRequest(`${first.name}: ${first.reason}`, invalidParams);
}
