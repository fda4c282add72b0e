import { parseArgs } from 'node:util';
import { composeCommand, integer, projectName } from './options.js';

export interface ClusterSmokeOptions {
  /** Host port of the coordinator (COORDINATOR_PORT); 0: a free one. */
  port: number;
  /** The whole run, teardown excluded, is stopped past this. */
  timeoutMs: number;
  /** Each wait for healthy containers, and for the cluster to heal, is bounded by this. */
  healthTimeoutMs: number;
  /** Items of the queue run during which the stream's leader is killed. */
  items: number;
  project: string;
  compose: string[] | undefined;
  help: boolean;
}

export const CLUSTER_USAGE = `Usage: npm run smoke:cluster [-- options]

Runs docker-compose.yml with docker-compose.cluster.yml (three NATS nodes in
one JetStream cluster, every service on all three) for real under a
throw-away project name: \`up --build\`, waits until every container is
healthy, checks as the read-only ops user that the streams and the readers'
consumer keep 3 replicas, starts a queue run, \`docker kill\`s the node that
leads the queue stream mid-run, checks that a new leader takes over and the run
completes with every item read once, \`docker start\`s the node again and
waits until its copies are current, checks the logs tell it, and always tears
it all down. The NATS host ports are free ones. Exits 0 only if every check passed.

  --port N            host port of the coordinator (default 0: a free port)
  --items N           items of the queue run (default 80, 100 ms to write and to read each)
  --timeout S         bound on the whole run in seconds, teardown excluded (default 1800)
  --health-timeout S  bound on each wait for health or for the cluster to heal, in seconds (default 180)
  --project NAME      compose project name (default clab-cluster-<random>)
  --compose CMD       compose command (default: \`docker compose\`; v1's \`docker-compose\` also runs it)
  -h, --help          this text`;

export function parseClusterSmokeOptions(argv: readonly string[]): ClusterSmokeOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '0' },
      items: { type: 'string', default: '80' },
      timeout: { type: 'string', default: '1800' },
      'health-timeout': { type: 'string', default: '180' },
      project: { type: 'string' },
      compose: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const project = projectName(values.project, 'clab-cluster');
  const compose = composeCommand(values.compose);
  return {
    port: integer('port', values.port, { min: 0, max: 65_535 }),
    // At least 20, so that the run is still going when its leader is killed; at most what a run may take at 100 ms an item.
    items: integer('items', values.items, { min: 20, max: 2_000 }),
    timeoutMs: integer('timeout', values.timeout, { min: 10, max: 24 * 3600 }) * 1000,
    healthTimeoutMs: integer('health-timeout', values['health-timeout'], { min: 1, max: 3600 }) * 1000,
    project,
    compose,
    help: values.help,
  };
}
