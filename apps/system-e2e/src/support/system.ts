import { deployEnvironment, type NatsCliUser, type ServiceName } from '@concurrency-lab/config';
import {
  startLocalSystem,
  startShippedNatsServer,
  type LocalSystem,
  type LocalSystemOptions,
  type LogLine,
  type NatsServerHandle,
  type ServiceProcess,
} from '@concurrency-lab/local-system';
import { fileURLToPath } from 'node:url';

export type { ServiceName };

/** The repository: deploy/ and the built apps. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * nats-server as docker-compose.yml runs it: the repository's config (one
 * user per service, least-privilege permissions, bcrypt-hashed passwords), so
 * every run of the suite exercises that wiring.
 */
export function startRepoNatsServer(options: { monitor?: boolean } = {}): Promise<NatsServerHandle> {
  return startShippedNatsServer(repoRoot, options);
}

/** The credentials of a NATS user no service runs as (deploy/env/ops.env, sys.env): for the nats CLI. */
export function natsUserEnvironment(user: NatsCliUser): Record<string, string> {
  return deployEnvironment(repoRoot, user);
}

/** A service's environment as compose gives it (deploy/env/common.env, then its own file), without what differs per environment. */
export function serviceEnvironment(service: ServiceName): Record<string, string> {
  return deployEnvironment(repoRoot, service);
}

/** What the specs use of the harness's LocalSystem (which startSystem returns). */
export interface RunningSystem {
  nats: NatsServerHandle;
  services: Record<ServiceName, ServiceProcess>;
  /** The first coordinator's. */
  baseUrl: string;
  /** Where a service process answers HTTP (/healthz, /readyz; the coordinator's API). */
  urlOf(service: ServiceProcess): string;
  /** Starts one more instance of a service (a reader that comes late, a writer after a crash). */
  startService(service: ServiceName): Promise<ServiceProcess>;
  /** The lines of every service process started so far, stopped or killed ones included, that match. */
  linesOfAll(match: (line: LogLine) => boolean): LogLine[];
  stop(): Promise<void>;
}

export type ServiceEnvironment = Partial<Record<ServiceName, Record<string, string>>>;

/**
 * nats-server and the three built services as real processes on loopback,
 * configured from the same files as docker-compose.yml (the local-system
 * harness, as npm start and the bench run them); a test's own settings go on top.
 * With `nats.natsUrl`, the services run on that NATS (a cluster) instead.
 */
export function startSystem(
  environment: ServiceEnvironment = {},
  options: Pick<LocalSystemOptions, 'natsUrl' | 'natsReplicas' | 'readyTimeoutMs'> = {},
): Promise<LocalSystem> {
  return startLocalSystem({
    repoRoot,
    ...options,
    // The specs read the JSON lines at info level, whatever the files say.
    common: { LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    environment,
    readiness: 'log',
    echo: process.env['E2E_ECHO_LOGS'] === '1',
  });
}

/**
 * POSTs JSON and returns the status, content type and parsed body. The body is
 * `any` on purpose: the specs assert its shape field by field.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function postJson(url: string, body: unknown): Promise<{ status: number; contentType: string; body: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.json() };
}
