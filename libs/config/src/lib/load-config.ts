import { z } from 'zod';

/** A configuration problem, named after the first environment variable at fault. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Environment = Record<string, string | undefined>;

/** Values never repeated in an error message: it ends up in logs. */
const isSecret = (variable: string) => /PASSWORD|SECRET|TOKEN/.test(variable);

/**
 * Parses the environment against a service's schema. Empty strings count as
 * unset, so `FOO=` in a compose file falls back to the default instead of
 * failing in a confusing way.
 */
export function loadConfig<Schema extends z.ZodObject>(schema: Schema, env: Environment = process.env): z.infer<Schema> {
  const relevant: Environment = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = schema.safeParse(relevant);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  const given = relevant[variable];
  const reason =
    given === undefined
      ? `is required but not set (${issue?.message ?? 'missing'})`
      : `is invalid: ${issue?.message ?? 'rejected'}${isSecret(variable) ? '' : ` (got ${JSON.stringify(given)})`}`;
  throw new ConfigError(variable, reason);
}

/**
 * For a service's entry point: a bad environment ends the process with one
 * clear line on stderr, rather than a stack trace or a half-started service.
 */
export function loadConfigOrExit<Schema extends z.ZodObject>(schema: Schema, env: Environment = process.env): z.infer<Schema> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG from sysexits.h: configuration error
  }
}

/** The variables a schema needs from its environment: those with no default. */
export function requiredVariables(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
}

/** Every variable a schema reads, required or not. */
export function knownVariables(schema: z.ZodObject): string[] {
  return Object.keys(schema.shape);
}
