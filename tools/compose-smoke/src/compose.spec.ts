import { describe, expect, it } from 'vitest';
import { composeArgv, composeEnvironment, detectCompose, OBSERVABILITY_SERVICES, systemServices, type Probe } from './compose.js';

/** A probe answering from a table: command line → output, or missing (fails like the docker CLI does). */
function probeFrom(answers: Record<string, string>): Probe & { calls: string[] } {
  const calls: string[] = [];
  const probe = async (argv: readonly string[]) => {
    const line = argv.join(' ');
    calls.push(line);
    const output = answers[line];
    return output === undefined ? { ok: false, output: `docker: unknown command: ${line}\n` } : { ok: true, output };
  };
  return Object.assign(probe, { calls });
}

describe('detectCompose', () => {
  it('prefers Compose v2, the docker CLI plugin', async () => {
    const probe = probeFrom({
      'docker compose version': 'Docker Compose version v2.29.1\n',
      'docker-compose version': 'docker-compose version 1.29.2\n',
    });
    expect(await detectCompose(probe)).toEqual({ words: ['docker', 'compose'], version: 'Docker Compose version v2.29.1' });
    expect(probe.calls).toEqual(['docker compose version']);
  });

  it('falls back to v1 docker-compose where the plugin is missing', async () => {
    const probe = probeFrom({ 'docker-compose version': 'docker-compose version 1.29.2, build unknown\ndocker-py version: 5.0.3\n' });
    expect(await detectCompose(probe)).toEqual({ words: ['docker-compose'], version: 'docker-compose version 1.29.2, build unknown' });
    expect(probe.calls).toEqual(['docker compose version', 'docker-compose version']);
  });

  it('treats a probe that throws (command not found) as absent', async () => {
    const probe: Probe = async (argv) => {
      if (argv[0] === 'docker-compose') throw new Error('spawn docker-compose ENOENT');
      return { ok: true, output: 'Docker Compose version v2.30.0' };
    };
    expect((await detectCompose(probe)).words).toEqual(['docker', 'compose']);
  });

  it('says what it tried when neither works', async () => {
    await expect(detectCompose(probeFrom({}))).rejects.toThrow(/no compose command works.*docker compose version.*docker-compose version/);
  });

  it('uses the command given, and only that one', async () => {
    const probe = probeFrom({ 'podman compose version': 'podman-compose version 1.0.6' });
    expect(await detectCompose(probe, ['podman', 'compose'])).toEqual({
      words: ['podman', 'compose'],
      version: 'podman-compose version 1.0.6',
    });
    await expect(detectCompose(probeFrom({ 'docker compose version': 'v2' }), ['docker-compose'])).rejects.toThrow(
      /the compose command given does not work/,
    );
  });
});

describe('composeEnvironment', () => {
  it('asks for BuildKit with plain progress, and sets the host ports', () => {
    const { env, notes } = composeEnvironment({ PATH: '/bin' }, { coordinatorPort: 3100, natsPort: 4300 });
    expect(env).toEqual({
      PATH: '/bin',
      DOCKER_BUILDKIT: '1',
      COMPOSE_DOCKER_CLI_BUILD: '1',
      BUILDKIT_PROGRESS: 'plain',
      COORDINATOR_PORT: '3100',
      NATS_PORT: '4300',
    });
    expect(notes).toEqual([]);
  });

  it('overrides a caller who asked for the classic builder, and says so', () => {
    const { env, notes } = composeEnvironment(
      { DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '1' },
      { coordinatorPort: 3000, natsPort: 4222 },
    );
    expect(env).toMatchObject({ DOCKER_BUILDKIT: '1', COMPOSE_DOCKER_CLI_BUILD: '1' });
    expect(notes).toEqual(['DOCKER_BUILDKIT=0 overridden: the Dockerfile needs BuildKit']);
  });

  it('does not change the environment it is given', () => {
    const original = { PATH: '/bin' };
    composeEnvironment(original, { coordinatorPort: 3000, natsPort: 4222 });
    expect(original).toEqual({ PATH: '/bin' });
  });
});

describe('composeArgv', () => {
  it('puts the project before the subcommand', () => {
    expect(composeArgv({ words: ['docker', 'compose'], version: '' }, 'p1', ['up', '-d'])).toEqual([
      'docker',
      'compose',
      '-p',
      'p1',
      'up',
      '-d',
    ]);
    expect(composeArgv({ words: ['docker-compose'], version: '' }, 'p1', ['down', '-v'])).toEqual([
      'docker-compose',
      '-p',
      'p1',
      'down',
      '-v',
    ]);
  });

  it('names each compose file, in order, before the project', () => {
    const files = ['docker-compose.yml', 'docker-compose.cluster.yml'];
    expect(composeArgv({ words: ['docker', 'compose'], version: '' }, 'p1', ['kill', 'n2'], files)).toEqual([
      'docker',
      'compose',
      '-f',
      'docker-compose.yml',
      '-f',
      'docker-compose.cluster.yml',
      '-p',
      'p1',
      'kill',
      'n2',
    ]);
  });
});

describe('systemServices', () => {
  it("lists the services compose starts without a profile: v2's list as it is, v1's without the observability profile's", () => {
    const v2 = 'nats\nreader\nwriter\ncoordinator\ndownloader\n';
    const v1 = 'nats\ncoordinator\nwriter\nreader\ndownloader\nprometheus\njaeger\n';
    expect(systemServices(v2)).toEqual(['nats', 'reader', 'writer', 'coordinator', 'downloader']);
    expect(systemServices(v1)).toEqual(['nats', 'coordinator', 'writer', 'reader', 'downloader']);
    expect(OBSERVABILITY_SERVICES).toEqual(['prometheus', 'jaeger']);
  });
});
