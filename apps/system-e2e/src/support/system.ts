import { deployEnvironment, NATS_CONFIG_FILE, type NatsCliUser, type ServiceName } from '@concurrency-lab/config';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  startNatsServer,
  startServiceProcess,
  type LogLine,
  type NatsServerHandle,
  type ServiceProcess,
} from '@concurrency-lab/testing';

export type { ServiceName };

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * nats-server as docker-compose.yml runs it: the repository's config (one
 * user per service, least-privilege permissions, bcrypt-hashed passwords), so
 * every run of the suite exercises that wiring.
 */
export function startRepoNatsServer(options: { monitor?: boolean } = {}): Promise<NatsServerHandle> {
  return startNatsServer({ configFile: resolve(repoRoot, NATS_CONFIG_FILE), ...options });
}

/** The credentials of a NATS user no service runs as (deploy/env/ops.env, sys.env): for the nats CLI. */
export function natsUserEnvironment(user: NatsCliUser): Record<string, string> {
  return deployEnvironment(repoRoot, user);
}

/** A service's environment as compose gives it (deploy/env/common.env, then its own file), without what differs per environment. */
export function serviceEnvironment(service: ServiceName): Record<string, string> {
  return deployEnvironment(repoRoot, service);
}

export function serviceScript(service: ServiceName): string {
  const script = `${repoRoot}apps/${service}/dist/main.js`;
  if (!existsSync(script)) throw new Error(`${script} is missing: build first with \`npx nx run-many -t build\``);
  return script;
}

/** The line each service logs once it is ready for work. */
const readyLine: Record<ServiceName, (line: LogLine) => boolean> = {
  coordinator: (line) => line.msg === 'listening',
  writer: (line) => line.msg === 'writer ready',
  reader: (line) => line.msg === 'reader ready',
};

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
 * configured from the same files as docker-compose.yml; a test's own
 * settings go on top.
 */
export async function startSystem(environment: ServiceEnvironment = {}): Promise<RunningSystem> {
  const nats = await startRepoNatsServer();
  const coordinatorPort = await freePort();
  const extra: ServiceProcess[] = [];
  const launched: ServiceProcess[] = [];
  const urls = new Map<ServiceProcess, string>();
  const echo = process.env['E2E_ECHO_LOGS'] === '1';

  const launch = async (service: ServiceName, port: number) => {
    const child = startServiceProcess(
      service,
      serviceScript(service),
      {
        ...serviceEnvironment(service),
        NATS_URL: nats.url,
        HOST: '127.0.0.1',
        PORT: String(port),
        // The specs read the JSON lines at info level, whatever the files say.
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        ...environment[service],
      },
      { echo },
    );
    launched.push(child);
    urls.set(child, `http://127.0.0.1:${port}`);
    await child.waitForLine(readyLine[service]);
    return child;
  };

  const [coordinator, writer, reader] = await Promise.all([
    launch('coordinator', coordinatorPort),
    launch('writer', await freePort()),
    launch('reader', await freePort()),
  ]);
  const services = { coordinator, writer, reader };

  return {
    nats,
    services,
    baseUrl: `http://127.0.0.1:${coordinatorPort}`,
    urlOf(service) {
      const url = urls.get(service);
      if (!url) throw new Error(`${service.name} ${service.pid} was not started by this system`);
      return url;
    },
    async startService(service) {
      const child = await launch(service, await freePort());
      extra.push(child);
      return child;
    },
    linesOfAll(match) {
      return launched.flatMap((child) => child.lines.filter(match));
    },
    async stop() {
      // A started one may also stand in `services` (a replacement): one SIGTERM each, as a second one means "exit now".
      await Promise.all([...new Set([...Object.values(services), ...extra])].map((child) => child.stop('SIGTERM')));
      await nats.stop();
    },
  };
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
