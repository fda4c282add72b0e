/** Runs a command and says whether it exited 0, with what it printed (both streams). */
export type Probe = (command: readonly string[]) => Promise<{ ok: boolean; output: string }>;

export interface ComposeCommand {
  /** The words before the compose arguments: ['docker', 'compose'] or ['docker-compose']. */
  words: string[];
  /** The first line `version` printed, e.g. "docker-compose version 1.29.2, build unknown". */
  version: string;
}

/** Compose v2 (the docker CLI plugin) first, then v1's standalone `docker-compose`. */
export const COMPOSE_CANDIDATES: readonly (readonly string[])[] = [['docker', 'compose'], ['docker-compose']];

const firstLine = (text: string) => text.trim().split('\n')[0]?.trim() ?? '';

/**
 * The compose command to use: `preferred` if given (it must work), else the
 * first candidate whose `version` exits 0. `docker compose version` fails
 * where the v2 plugin is missing (the docker CLI says "unknown command").
 */
export async function detectCompose(probe: Probe, preferred?: readonly string[]): Promise<ComposeCommand> {
  const candidates = preferred ? [preferred] : COMPOSE_CANDIDATES;
  const tried: string[] = [];
  for (const words of candidates) {
    let result: { ok: boolean; output: string };
    try {
      result = await probe([...words, 'version']);
    } catch (error) {
      result = { ok: false, output: error instanceof Error ? error.message : String(error) };
    }
    if (result.ok) return { words: [...words], version: firstLine(result.output) };
    tried.push(`\`${words.join(' ')} version\`: ${firstLine(result.output) || 'failed'}`);
  }
  throw new Error(
    preferred
      ? `the compose command given does not work (${tried.join('; ')})`
      : `no compose command works: install Docker Compose v2 (\`docker compose\`) or v1.29 (\`docker-compose\`). Tried ${tried.join('; ')}`,
  );
}

/**
 * The environment for docker and compose: BuildKit, which the Dockerfile
 * needs (RUN --mount), whatever the caller's environment says: Compose v2
 * builds with it unless DOCKER_BUILDKIT=0, Compose v1 only through the docker
 * CLI (COMPOSE_DOCKER_CLI_BUILD=1). Plain progress output, so that the build's
 * own lines (npm's warnings among them) can be read. The host ports are the
 * coordinator's and NATS's in docker-compose.yml.
 */
export function composeEnvironment(
  env: Record<string, string | undefined>,
  { coordinatorPort, natsPort }: { coordinatorPort: number; natsPort: number },
): { env: Record<string, string | undefined>; notes: string[] } {
  const notes = ['DOCKER_BUILDKIT', 'COMPOSE_DOCKER_CLI_BUILD']
    .filter((name) => env[name] !== undefined && env[name] !== '' && env[name] !== '1')
    .map((name) => `${name}=${env[name] ?? ''} overridden: the Dockerfile needs BuildKit`);
  const next = {
    ...env,
    DOCKER_BUILDKIT: '1',
    COMPOSE_DOCKER_CLI_BUILD: '1',
    BUILDKIT_PROGRESS: 'plain',
    COORDINATOR_PORT: String(coordinatorPort),
    NATS_PORT: String(natsPort),
  };
  return { env: next, notes };
}

/** One compose invocation for the project: `<compose> [-f <file>...] -p <project> <args>`; no files: compose's default one. */
export function composeArgv(compose: ComposeCommand, project: string, args: readonly string[], files: readonly string[] = []): string[] {
  return [...compose.words, ...files.flatMap((file) => ['-f', file]), '-p', project, ...args];
}

/** The observability profile: `--profile observability` adds these services to the system. */
export const OBSERVABILITY_PROFILE = 'observability';
export const OBSERVABILITY_SERVICES: readonly string[] = ['prometheus', 'jaeger'];

/**
 * `config --services` output → the system's services, those started without
 * a profile. Compose v2 lists only those; v1.29 lists the profile's too, so
 * they are left out here by name.
 */
export function systemServices(configServices: string): string[] {
  return configServices
    .split('\n')
    .map((line) => line.trim())
    .filter((name) => name !== '' && !OBSERVABILITY_SERVICES.includes(name));
}
