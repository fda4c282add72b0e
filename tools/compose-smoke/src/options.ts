import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

export interface SmokeOptions {
  /** Host port the coordinator is published on (COORDINATOR_PORT in docker-compose.yml); 0: a free one. */
  port: number;
  /** Host port NATS is published on (NATS_PORT in docker-compose.yml); 0: a free one. */
  natsPort: number;
  /** Host port the observability profile's Prometheus is published on (PROMETHEUS_PORT); 0: a free one. */
  prometheusPort: number;
  /** The whole smoke test, teardown excluded, is stopped past this. */
  timeoutMs: number;
  /** Each wait for every container to be healthy is bounded by this. */
  healthTimeoutMs: number;
  /** Readers after scaling. */
  readers: number;
  /** Compose project name: unique per run, so a run never touches another project's containers or volumes. */
  project: string;
  /** The compose command as words, e.g. ['docker', 'compose']; undefined: detect it. */
  compose: string[] | undefined;
  help: boolean;
}

export const USAGE = `Usage: npm run smoke:compose [-- options]

Runs docker-compose.yml for real under a throw-away project name, as the
README does: \`up --build\` (BuildKit; the build must be free of npm warnings),
waits until every container is healthy, checks that each image carries only
its service's production dependencies, sends the lesson's two requests with no
body (POST /simulations, POST /queue-runs) and checks their answers at real
timings, reads the run's story in \`logs\`, looks at the queue as the read-only
ops NATS user, restarts the services with LOG_FORMAT=pretty and 3 readers, runs
a queue run again and checks the readable logs, starts the observability
profile's Prometheus and waits until it scrapes every replica of every service
and shows the coordinator's request histogram, and always tears it all down
(containers, network, volumes), also on a failure, on Ctrl-C and past the
timeout. Exits 0 only if every check passed.

  --port N            host port of the coordinator (default COORDINATOR_PORT or 3000; 0: a free port)
  --nats-port N       host port of NATS (default 0: a free port)
  --prometheus-port N host port of Prometheus (default 0: a free port)
  --timeout S         bound on the whole run in seconds, teardown excluded (default 1800)
  --health-timeout S  bound on each wait for healthy containers in seconds (default 180)
  --readers N         readers after scaling (default 3)
  --project NAME      compose project name (default clab-smoke-<random>)
  --compose CMD       compose command (default: \`docker compose\` if present, else \`docker-compose\`)
  -h, --help          this text`;

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** A whole-number option within its range, or an error naming the option. */
export function integer(name: string, value: string, { min, max }: { min: number; max: number }): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new Error(`--${name} takes a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** A project name no other run uses: compose names containers, networks and volumes after it. */
export function uniqueProjectName(random: () => string = () => randomBytes(3).toString('hex'), prefix = 'clab-smoke'): string {
  return `${prefix}-${Date.now().toString(36)}-${random()}`;
}

/** The --project given (checked), or a unique one with this prefix. */
export function projectName(given: string | undefined, prefix: string): string {
  const project = given ?? uniqueProjectName(undefined, prefix);
  if (!PROJECT_NAME.test(project)) {
    throw new Error(
      `--project must be lowercase letters, digits, "-" and "_", starting with a letter or digit, got ${JSON.stringify(project)}`,
    );
  }
  return project;
}

/** The --compose given, as argv words; undefined when not given. */
export function composeCommand(given: string | undefined): string[] | undefined {
  const compose = given?.trim().split(/\s+/).filter(Boolean);
  if (compose !== undefined && compose.length === 0) throw new Error('--compose must name a command, e.g. "docker compose"');
  return compose;
}

export function parseSmokeOptions(argv: readonly string[], env: Record<string, string | undefined> = process.env): SmokeOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      'nats-port': { type: 'string', default: '0' },
      'prometheus-port': { type: 'string', default: '0' },
      timeout: { type: 'string', default: '1800' },
      'health-timeout': { type: 'string', default: '180' },
      readers: { type: 'string', default: '3' },
      project: { type: 'string' },
      compose: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const port = integer('port', values.port ?? env['COORDINATOR_PORT'] ?? '3000', { min: 0, max: 65_535 });
  const project = projectName(values.project, 'clab-smoke');
  const compose = composeCommand(values.compose);
  return {
    port,
    natsPort: integer('nats-port', values['nats-port'], { min: 0, max: 65_535 }),
    prometheusPort: integer('prometheus-port', values['prometheus-port'], { min: 0, max: 65_535 }),
    timeoutMs: integer('timeout', values.timeout, { min: 10, max: 24 * 3600 }) * 1000,
    healthTimeoutMs: integer('health-timeout', values['health-timeout'], { min: 1, max: 3600 }) * 1000,
    readers: integer('readers', values.readers, { min: 1, max: 20 }),
    project,
    compose,
    help: values.help,
  };
}
