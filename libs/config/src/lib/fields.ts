import { z } from 'zod';

/** Field builders shared by the service schemas, so each rule is written once. */

export const port = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(1, 'must be from 1 to 65535')
    .max(65535, 'must be from 1 to 65535')
    .default(fallback);

export const host = () =>
  z.string().min(1).default('127.0.0.1').describe('Interface to listen on; 127.0.0.1 by default, 0.0.0.0 in containers');

export const natsUrl = () =>
  z
    .string({ error: 'must be set to a NATS server URL such as nats://127.0.0.1:4222' })
    .regex(/^(nats|tls|wss?):\/\/[^\s,]+(,(nats|tls|wss?):\/\/[^\s,]+)*$/, 'must be one or more comma-separated nats:// URLs');

/**
 * A NATS user name or password: optional, as a server without authorization
 * takes none. Whether both or neither are set is checked per service schema
 * (natsCredentialsTogether), so a half-configured service fails at start and
 * not with a puzzling "Authorization Violation" later.
 */
export const natsCredential = () => z.string().min(1).optional();

/**
 * How many copies JetStream keeps of every stream and consumer: 1 on a
 * single server, 3 on a three-node cluster (a majority of 2 keeps it
 * available with one node down). At most 5, JetStream's own limit.
 */
export const natsReplicas = () =>
  z.coerce
    .number({ error: 'must be a number of replicas' })
    .int('must be a whole number')
    .min(1, 'must be from 1 to 5')
    .max(5, 'must be from 1 to 5')
    .default(1);

export const logLevel = () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/**
 * LOG_FORMAT: JSON lines by default (for grep, jq and log shippers), or
 * "pretty", one readable line per entry printed by pino-pretty inside the
 * service, so that `docker compose logs` is readable with nothing installed.
 */
export const logFormat = () => z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).default('json');

export const milliseconds = (fallback: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1, `must be from 1 to ${max}`)
    .max(max, `must be from 1 to ${max}`)
    .default(fallback);

/**
 * Both or neither: a user without a password (or the reverse) is a mistake
 * in the environment, reported on the variable that is missing.
 */
export function natsCredentialsTogether(
  config: { NATS_USER?: string | undefined; NATS_PASSWORD?: string | undefined },
  context: z.RefinementCtx,
): void {
  const pairs = [
    ['NATS_USER', 'NATS_PASSWORD'],
    ['NATS_PASSWORD', 'NATS_USER'],
  ] as const;
  for (const [missing, given] of pairs) {
    if (config[missing] === undefined && config[given] !== undefined) {
      context.addIssue({ code: 'custom', path: [missing], message: `must be set together with ${given}` });
      return;
    }
  }
}
