import { z } from 'zod';
import { host, logFormat, logLevel, milliseconds, natsCredential, natsCredentialsTogether, natsReplicas, natsUrl, port } from './fields.js';

/** What every service reads: where NATS is and who it is there, and how to log. */
const common = {
  NATS_URL: natsUrl(),
  /** This service's NATS user (deploy/nats/nats.conf); both unset for a server without authorization. */
  NATS_USER: natsCredential(),
  NATS_PASSWORD: natsCredential(),
  /** Replicas of every stream and consumer the system creates: 3 on the three-node cluster (docker-compose.cluster.yml). */
  NATS_REPLICAS: natsReplicas(),
  LOG_LEVEL: logLevel(),
  LOG_FORMAT: logFormat(),
  HOST: host(),
};

export const coordinatorConfigSchema = z
  .object({
    ...common,
    PORT: port(3000),
    /** How long POST /queue-runs waits for every item to be read. */
    QUEUE_RUN_TIMEOUT_MS: milliseconds(300_000, 3_600_000),
    /** Worker processes in the simulation pool; the host's cores when unset. */
    POOL_SIZE: z.coerce
      .number({ error: 'must be a number of processes' })
      .int('must be a whole number')
      .min(1, 'must be from 1 to 64')
      .max(64, 'must be from 1 to 64')
      .optional(),
    /**
     * When set, every request that starts or cancels work must carry
     * `Authorization: Bearer <token>`. Unset: no token, as on a laptop.
     */
    COORDINATOR_TOKEN: z
      .string()
      .min(16, 'must be at least 16 characters (a random token, e.g. `openssl rand -hex 24`)')
      .max(512, 'must be at most 512 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  })
  .superRefine(natsCredentialsTogether);
export type CoordinatorConfig = z.infer<typeof coordinatorConfigSchema>;

export const writerConfigSchema = z
  .object({
    ...common,
    PORT: port(3001),
  })
  .superRefine(natsCredentialsTogether);
export type WriterConfig = z.infer<typeof writerConfigSchema>;

export const readerConfigSchema = z
  .object({
    ...common,
    PORT: port(3002),
    /** How long a reader may hold an item before JetStream offers it to another reader; long reads send in-progress acks. */
    ACK_WAIT_MS: milliseconds(5_000, 600_000),
  })
  .superRefine(natsCredentialsTogether);
export type ReaderConfig = z.infer<typeof readerConfigSchema>;

/** Each service's schema by its name in docker-compose.yml. */
export const serviceConfigSchemas = {
  coordinator: coordinatorConfigSchema,
  writer: writerConfigSchema,
  reader: readerConfigSchema,
} as const;
export type ServiceName = keyof typeof serviceConfigSchemas;
