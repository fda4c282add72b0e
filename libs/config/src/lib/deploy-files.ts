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

/** The env files a container gets, in order (a later one overrides an earlier one). */
export function deployEnvFiles(name: ServiceName | 'nats'): string[] {
  return name === 'nats' ? ['deploy/env/nats.env'] : ['deploy/env/common.env', `deploy/env/${name}.env`];
}

/** What those files set for a service, or for nats-server (the passwords its config references). */
export function deployEnvironment(repoRoot: string, name: ServiceName | 'nats'): Record<string, string> {
  return readEnvFiles(deployEnvFiles(name).map((file) => resolve(repoRoot, file)));
}
