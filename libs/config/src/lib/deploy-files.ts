import { resolve } from 'node:path';
import { readEnvFiles } from './env-files.js';
import type { ServiceName } from './services.js';

/**
 * Where the configuration shared by every way of running the system lives,
 * relative to the repository root. docker-compose.yml names the same files
 * (env_file, the nats config mount); apps/system-e2e's compose spec checks
 * that it does.
 */
export const NATS_CONFIG_FILE = 'deploy/nats/nats.conf';
/** The same users and permissions (it includes nats.conf) for each node of a JetStream cluster. */
export const NATS_CLUSTER_CONFIG_FILE = 'deploy/nats/cluster.conf';

/**
 * The NATS users no service runs as, for people with the `nats` CLI: "ops"
 * (read-only look-ups: streams, consumers, account) and "sys" (the system
 * account: `nats server ...`). Their env files hold NATS_USER and NATS_PASSWORD.
 */
export const NATS_CLI_USERS = ['ops', 'sys'] as const;
export type NatsCliUser = (typeof NATS_CLI_USERS)[number];

const isCliUser = (name: string): name is NatsCliUser => (NATS_CLI_USERS as readonly string[]).includes(name);

/**
 * The env files of a service as its container gets them, in order (a later one
 * overrides an earlier one), or the one env file of a CLI user. The last file
 * is the one that holds the NATS user's password; nats.conf holds its bcrypt hash.
 */
export function deployEnvFiles(name: ServiceName | NatsCliUser): string[] {
  return isCliUser(name) ? [`deploy/env/${name}.env`] : ['deploy/env/common.env', `deploy/env/${name}.env`];
}

/** What those files set for a service, or for a CLI user. */
export function deployEnvironment(repoRoot: string, name: ServiceName | NatsCliUser): Record<string, string> {
  return readEnvFiles(deployEnvFiles(name).map((file) => resolve(repoRoot, file)));
}
