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
 * The environment for docker and compose. Without BuildKit (no buildx
 * plugin, as with the local engine here) the classic builder is asked for
 * explicitly, as the Dockerfile allows; a value the caller set is kept.
 * COORDINATOR_PORT is the coordinator's host port in docker-compose.yml.
 */
export function composeEnvironment(
  env: Record<string, string | undefined>,
  { buildx, port }: { buildx: boolean; port: number },
): { env: Record<string, string | undefined>; notes: string[] } {
  const next: Record<string, string | undefined> = { ...env, COORDINATOR_PORT: String(port) };
  const notes: string[] = [];
  if (!buildx) {
    for (const name of ['DOCKER_BUILDKIT', 'COMPOSE_DOCKER_CLI_BUILD']) {
      if (next[name] === undefined || next[name] === '') {
        next[name] = '0';
        notes.push(`${name}=0`);
      }
    }
  }
  return { env: next, notes };
}

/** One compose invocation for the project: `<compose> -p <project> <args>`. */
export function composeArgv(compose: ComposeCommand, project: string, args: readonly string[]): string[] {
  return [...compose.words, '-p', project, ...args];
}
