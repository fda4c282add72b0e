import {
  deployEnvFiles,
  deployEnvironment,
  knownVariables,
  loadConfig,
  NATS_CLI_USERS,
  NATS_CONFIG_FILE,
  readEnvFiles,
  requiredVariables,
  serviceConfigSchemas,
  type ServiceName,
} from '@concurrency-lab/config';
import bcrypt from 'bcryptjs';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * docker-compose.yml is only exercised for real with a Docker engine; this
 * spec checks, without one, that it still matches the code: the services it
 * builds exist, their environment (env files and `environment:` together)
 * satisfies the config schemas (no missing variable, no typo), nats runs the
 * repository's config, whose bcrypt hashes match the passwords the services
 * hold, and the choices that keep it safe and scalable hold. (nats-permissions.spec.ts runs that
 * config for real.)
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const composePath = resolve(repoRoot, 'docker-compose.yml');
const clusterPath = resolve(repoRoot, 'docker-compose.cluster.yml');

type Dict = Record<string, unknown>;

const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);

function asDict(value: unknown, what: string): Dict {
  if (!isDict(value)) throw new Error(`${what} should be a mapping, got ${JSON.stringify(value)}`);
  return value;
}

/** `environment:` and `build.args:` may be a list of "K=V" or a mapping. */
function keyValues(value: unknown): Record<string, string | undefined> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry) => {
        const text = String(entry);
        const equals = text.indexOf('=');
        return equals === -1 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(asDict(value, 'environment')).map(([key, v]) => [key, v === null ? undefined : String(v)]));
}

/** What Compose makes of "${VAR:-default}" when VAR is not set in the shell: the value the service gets by default. */
function interpolateDefaults(value: string): string {
  return value.replace(/\$\$|\$\{(\w+)(?::?-([^}]*))?\}/g, (match: string, _name: string | undefined, fallback: string | undefined) =>
    match === '$$' ? '$' : (fallback ?? ''),
  );
}

/** The command as an argument list, whether written as a string or a list. */
function argv(command: unknown): string[] {
  if (Array.isArray(command)) return command.map(String);
  if (typeof command === 'string') return command.split(/\s+/).filter(Boolean);
  return [];
}

/** A published port in short ("127.0.0.1:3000:3000") or long syntax, as host ip, host port, container port. */
function publishedPort(entry: unknown): { hostIp: string | undefined; published: string | undefined; target: string } {
  if (isDict(entry)) {
    return {
      hostIp: entry['host_ip'] === undefined ? undefined : String(entry['host_ip']),
      published: entry['published'] === undefined ? undefined : String(entry['published']),
      target: String(entry['target']),
    };
  }
  const parts = String(entry)
    .replace(/\/(tcp|udp)$/, '')
    .split(':');
  const target = parts.pop() ?? '';
  const published = parts.pop();
  const hostIp = parts.length > 0 ? parts.join(':') : undefined;
  return { hostIp, published, target };
}

/** A volume mount in short ("name:/data[:ro]") or long syntax. */
function volumeMount(entry: unknown): { source: string | undefined; target: string; type: string; readOnly: boolean } {
  if (isDict(entry)) {
    return {
      source: entry['source'] === undefined ? undefined : String(entry['source']),
      target: String(entry['target']),
      type: String(entry['type'] ?? 'volume'),
      readOnly: entry['read_only'] === true,
    };
  }
  const [source, target, mode] = String(entry).split(':');
  if (target === undefined) return { source: undefined, target: source ?? '', type: 'volume', readOnly: false }; // anonymous volume
  const isPath = /^[./~]/.test(source ?? '');
  return { source, target, type: isPath ? 'bind' : 'volume', readOnly: (mode ?? '').split(',').includes('ro') };
}

/** `env_file:` as a list of paths, whether written as one path or a list (Compose v1.29 takes both). */
function envFiles(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** The repository-relative form of a path in the compose file ("./deploy/x" and "deploy/x" alike). */
const fromRoot = (path: string) => relative(repoRoot, resolve(repoRoot, path));

/**
 * The variables a compose file reads from the shell or .env, with the default it gives each. Every
 * one must have a default: a variable unset in the shell and .env would be an empty string.
 */
function shellDefaults(path: string): Map<string, string> {
  const code = readFileSync(path, 'utf8').replace(/#.*$/gm, '');
  expect(code.replace(/\$\{\w+:?-[^}]*\}/g, ''), `${path}: every variable has a default`).not.toMatch(/\$\{?\w/);
  return new Map([...code.matchAll(/\$\{(\w+):?-([^}]*)\}/g)].map((match) => [match[1] ?? '', match[2] ?? '']));
}

const compose = asDict(parse(readFileSync(composePath, 'utf8')), 'docker-compose.yml');
const services = asDict(compose['services'], 'services');
const service = (name: string): Dict => asDict(services[name], `services.${name}`);
/** The observability profile's services (Prometheus, Jaeger): started only with `--profile observability`. */
const profileServiceNames = Object.keys(services).filter((name) => service(name)['profiles'] !== undefined);
/** The system's own services, built from this repository: everything but nats and the profile's. */
const appServiceNames = Object.keys(services).filter((name) => name !== 'nats' && !profileServiceNames.includes(name));
/** Read by the OpenTelemetry SDK (libs/tracing), not by the config schemas: empty turns tracing off. */
const OTEL_VARIABLES = ['OTEL_EXPORTER_OTLP_ENDPOINT'];
const envFilesOf = (name: string) => envFiles(service(name)['env_file']);
/** What a container gets from its env files, read as the launcher and the e2e suite read them. */
const fileEnvironmentOf = (name: string) => readEnvFiles(envFilesOf(name).map((file) => resolve(repoRoot, file)));
/** `environment:` alone: what differs in containers. */
const overridesOf = (name: string) => keyValues(service(name)['environment']);
/** The container's whole environment: env files, then `environment:` over them, as Compose merges them. */
const environmentOf = (name: string) => ({ ...fileEnvironmentOf(name), ...overridesOf(name) });
/** The service's config as it would load it in its container, with the file's defaults for ${VAR:-default}. */
function configOf<Name extends ServiceName>(name: Name) {
  const environment = Object.fromEntries(
    Object.entries(environmentOf(name)).map(([key, value]) => [key, value === undefined ? undefined : interpolateDefaults(value)]),
  );
  return loadConfig(serviceConfigSchemas[name], environment);
}
const isServiceName = (name: string): name is ServiceName => Object.hasOwn(serviceConfigSchemas, name);

const natsConfig = readFileSync(resolve(repoRoot, NATS_CONFIG_FILE), 'utf8');
/** nats.conf without comments. */
const natsConfigCode = natsConfig.replace(/#.*$/gm, '');
/** nats.conf's users and the password value each one has, as written (a quoted hash, if all is well). */
const natsUsers = new Map(
  [...natsConfigCode.matchAll(/\buser:\s*"?(\w+)"?[\s,]+password:\s*("[^"\n]*"|[^\s,}]+)/g)].map((match) => [
    match[1] ?? '',
    match[2] ?? '',
  ]),
);
/** A bcrypt hash in double quotes, which nats-server takes literally (unquoted, $2b$... would be a variable). */
const QUOTED_BCRYPT_HASH = /^"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}"$/;
const hashOf = (user: string) => (natsUsers.get(user) ?? '').slice(1, -1);

describe('docker-compose.yml', () => {
  it('is in the Compose specification format, without the obsolete version key', () => {
    expect(compose).not.toHaveProperty('version');
  });

  it('runs nats and exactly the services that have a config schema', () => {
    expect(Object.keys(services)).toContain('nats');
    expect([...appServiceNames].sort()).toEqual(Object.keys(serviceConfigSchemas).sort());
  });

  it('runs nats with JetStream, its store on a declared named volume, and a healthcheck', () => {
    const nats = service('nats');
    const args = argv(nats['command']);
    expect(args).toContain('-js');
    // The store directory must be the mounted one, or JetStream data would live in the container layer.
    const storeDir = args[args.findIndex((arg) => arg === '-sd' || arg === '--store_dir') + 1];
    expect(storeDir).toBe('/data');

    const mounts = ((nats['volumes'] as unknown[] | undefined) ?? []).map(volumeMount);
    const data = mounts.find((mount) => mount.target === '/data');
    expect(data, 'nats mounts a volume at /data').toBeDefined();
    expect(data?.type).toBe('volume');
    expect(data?.source, 'the /data volume is named, not anonymous').toBeTruthy();
    expect(Object.keys(asDict(compose['volumes'], 'volumes'))).toContain(data?.source);

    // depends_on: service_healthy waits forever on a service without one.
    const healthcheck = asDict(nats['healthcheck'], 'services.nats.healthcheck');
    expect(healthcheck['disable']).not.toBe(true);
    expect(argv(healthcheck['test']).join(' ')).toContain('8222');
    expect(args.join(' ')).toMatch(/(-m|--http_port) 8222/);
  });

  it("runs nats with the repository's config, mounted read-only, and nothing else to read its passwords from", () => {
    const nats = service('nats');
    const args = argv(nats['command']);
    const configIndex = args.findIndex((arg) => arg === '-c' || arg === '--config');
    expect(configIndex, 'nats is started with -c').toBeGreaterThanOrEqual(0);
    const configPath = args[configIndex + 1];

    const mounts = ((nats['volumes'] as unknown[] | undefined) ?? []).map(volumeMount);
    const config = mounts.find((mount) => mount.target === configPath);
    expect(config, `nats mounts its config at ${configPath}`).toBeDefined();
    expect(config?.type).toBe('bind');
    expect(fromRoot(config?.source ?? '')).toBe(NATS_CONFIG_FILE);
    expect(config?.readOnly, 'the config is mounted read-only').toBe(true);
    expect(existsSync(resolve(repoRoot, NATS_CONFIG_FILE))).toBe(true);
    // The hashes are in the config: npm start and the e2e suite start nats-server with no environment of its own either.
    expect(envFilesOf('nats')).toEqual([]);
    expect(overridesOf('nats')).toEqual({});
  });

  it('holds each password only as a quoted bcrypt hash: no plaintext, no environment variable', () => {
    expect(natsUsers.size).toBeGreaterThan(0);
    for (const [user, password] of natsUsers) expect(password, `${user}'s password in nats.conf`).toMatch(QUOTED_BCRYPT_HASH);
    // Every password line is one of the users' entries read above.
    expect([...natsConfigCode.matchAll(/\bpassword\s*[:=]/g)]).toHaveLength(natsUsers.size);
    expect(natsConfigCode.replace(/"[^"\n]*"/g, '""'), 'no variable references').not.toMatch(/\$[A-Z_]/);
  });

  it.each(NATS_CLI_USERS)('has an env file with the password of the CLI user %s, matching its hash', (user) => {
    const environment = deployEnvironment(repoRoot, user);
    expect(environment['NATS_USER']).toBe(user);
    expect(
      bcrypt.compareSync(environment['NATS_PASSWORD'] ?? '', hashOf(user)),
      `deploy/env/${user}.env's password matches nats.conf`,
    ).toBe(true);
  });

  it('leaves no way in without credentials: no default user, users only in accounts', () => {
    expect(natsConfigCode).not.toMatch(/\bno_auth_user\b/);
    // nats-server 2.9 lets a client without credentials into the global account when
    // users sit in an `authorization` block beside `accounts`: every user is in an account.
    expect(natsConfigCode).not.toMatch(/\bauthorization\b/);
    expect(natsConfigCode).toMatch(/^\s*accounts\s*[:{=]?/m);
    expect([...natsUsers.keys()].sort()).toEqual(['coordinator', 'downloader', 'ops', 'reader', 'sys', 'writer']);
  });

  describe.each(appServiceNames)('service %s', (name) => {
    const definition = () => service(name);

    it('is one of the services with a config schema and an entry point', () => {
      expect(Object.keys(serviceConfigSchemas)).toContain(name);
      expect(existsSync(resolve(repoRoot, 'apps', name, 'src/main.ts'))).toBe(true);
    });

    it("is built from this repository's Dockerfile with SERVICE set to its name", () => {
      const build = asDict(definition()['build'], `services.${name}.build`);
      const context = resolve(repoRoot, String(build['context']));
      expect(context).toBe(resolve(repoRoot));
      const dockerfile = resolve(context, String(build['dockerfile'] ?? 'Dockerfile'));
      expect(existsSync(dockerfile), `${dockerfile} exists`).toBe(true);
      expect(readFileSync(dockerfile, 'utf8')).toMatch(/^ARG SERVICE\b/m);
      expect(keyValues(build['args'])['SERVICE']).toBe(name);
    });

    it('sets every required variable, listens on all interfaces, and sets no unknown variable', () => {
      if (!isServiceName(name)) throw new Error(`${name} has no config schema`);
      const schema = serviceConfigSchemas[name];
      const environment = environmentOf(name);
      for (const variable of requiredVariables(schema)) {
        expect(environment[variable], `${name} sets ${variable}`).toBeTruthy();
      }
      expect(environment['HOST']).toBe('0.0.0.0');
      const known = knownVariables(schema);
      const unknown = Object.keys(environment).filter((variable) => !known.includes(variable) && !OTEL_VARIABLES.includes(variable));
      expect(unknown, `variables ${name} does not read (typos?)`).toEqual([]);
    });

    it('takes its settings from the shared env files, and only NATS_URL, HOST, PORT, LOG_FORMAT and the OTLP endpoint from `environment:`', () => {
      if (!isServiceName(name)) throw new Error(`${name} has no config schema`);
      for (const file of envFilesOf(name)) expect(existsSync(resolve(repoRoot, file)), `${file} exists`).toBe(true);
      // The same files, in the same order, that npm start and the e2e suite read.
      expect(envFilesOf(name).map(fromRoot)).toEqual(deployEnvFiles(name));
      expect(Object.keys(overridesOf(name)).sort()).toEqual(['HOST', 'LOG_FORMAT', 'NATS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'PORT']);
      // From the shell or .env; JSON lines unless told otherwise, and no traces unless told where to send them.
      expect(overridesOf(name)['LOG_FORMAT']).toBe('${LOG_FORMAT:-json}');
      expect(overridesOf(name)['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe('${OTEL_EXPORTER_OTLP_ENDPOINT:-}');
      for (const variable of ['NATS_URL', 'HOST', 'PORT']) {
        expect(fileEnvironmentOf(name), `the env files leave ${variable} to each environment`).not.toHaveProperty(variable);
      }
    });

    it("connects as its own NATS user, with the password whose hash is that user's in nats.conf", () => {
      const environment = environmentOf(name);
      expect(environment['NATS_USER']).toBe(name);
      expect(natsUsers.has(name), `nats.conf has a user ${name}`).toBe(true);
      expect(
        bcrypt.compareSync(environment['NATS_PASSWORD'] ?? '', hashOf(name)),
        `${name}'s NATS_PASSWORD matches its hash in nats.conf`,
      ).toBe(true);
    });

    it('passes its config schema with the defaults the file gives, and reaches nats by its service name', () => {
      if (!isServiceName(name)) throw new Error(`${name} has no config schema`);
      const config = configOf(name);
      for (const url of config.NATS_URL.split(',')) {
        expect(Object.keys(services)).toContain(new URL(url).hostname);
      }
    });

    it('waits for a healthy nats, runs under an init process and has a healthcheck on its own port', () => {
      if (!isServiceName(name)) throw new Error(`${name} has no config schema`);
      const dependsOn = asDict(definition()['depends_on'], `services.${name}.depends_on`);
      expect(asDict(dependsOn['nats'], `services.${name}.depends_on.nats`)['condition']).toBe('service_healthy');
      expect(definition()['init']).toBe(true);

      const healthcheck = asDict(definition()['healthcheck'], `services.${name}.healthcheck`);
      expect(healthcheck['disable']).not.toBe(true);
      const test = argv(healthcheck['test']);
      expect(['CMD', 'CMD-SHELL']).toContain(test[0]);
      const { PORT } = configOf(name);
      expect(test.join(' ')).toContain(`127.0.0.1:${PORT}/readyz`); // healthy means able to take work
    });
  });

  it('publishes the coordinator on the loopback interface only, on the port it listens on', () => {
    const ports = (service('coordinator')['ports'] as unknown[] | undefined) ?? [];
    expect(ports).toHaveLength(1);
    // The host port may be "${COORDINATOR_PORT:-3000}": read it as Compose does by default.
    const port = publishedPort(typeof ports[0] === 'string' ? interpolateDefaults(ports[0]) : ports[0]);
    expect(port.hostIp).toBe('127.0.0.1');
    expect(port.published).toMatch(/^\d+$/);
    expect(port.target).toBe(String(configOf('coordinator').PORT));
  });

  it('publishes nats on the loopback interface only, for the nats CLI', () => {
    const ports = (service('nats')['ports'] as unknown[] | undefined) ?? [];
    expect(ports).toHaveLength(1);
    const port = publishedPort(typeof ports[0] === 'string' ? interpolateDefaults(ports[0]) : ports[0]);
    expect(port).toEqual({ hostIp: '127.0.0.1', published: '4222', target: '4222' });
  });

  it('has an .env.example with every variable the file reads from the shell or .env, at the default the file gives it', () => {
    const example = readEnvFiles([resolve(repoRoot, '.env.example')]);
    const defaults = shellDefaults(composePath);
    expect([...defaults.keys()].sort()).toEqual([
      'COORDINATOR_PORT',
      'JAEGER_UI_PORT',
      'LOG_FORMAT',
      'NATS_PORT',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'PROMETHEUS_PORT',
    ]);
    // .env.example also has docker-compose.cluster.yml's, and nothing else.
    expect(Object.keys(example).sort()).toEqual([...new Set([...defaults.keys(), ...shellDefaults(clusterPath).keys()])].sort());
    for (const [name, fallback] of defaults) expect(example[name], `${name} in .env.example`).toBe(fallback);
  });

  it.each(['writer', 'reader', 'downloader'])('leaves %s scalable: no container_name and no host ports', (name) => {
    expect(services).toHaveProperty(name);
    expect(service(name)).not.toHaveProperty('container_name');
    expect(service(name)).not.toHaveProperty('ports');
  });

  describe('the observability profile', () => {
    const prometheusConfigPath = 'deploy/prometheus/prometheus.yml';
    const prometheusConfig = asDict(parse(readFileSync(resolve(repoRoot, prometheusConfigPath), 'utf8')), prometheusConfigPath);
    const scrapeJobs = ((prometheusConfig['scrape_configs'] as unknown[] | undefined) ?? []).map((job) => asDict(job, 'scrape_configs[]'));
    const loopbackPort = (name: string) => {
      const ports = (service(name)['ports'] as unknown[] | undefined) ?? [];
      expect(ports, `${name} publishes one port`).toHaveLength(1);
      return publishedPort(typeof ports[0] === 'string' ? interpolateDefaults(ports[0]) : ports[0]);
    };

    it('holds Prometheus and Jaeger, only under the profile, from images, with nothing of the system waiting on them', () => {
      expect(profileServiceNames.sort()).toEqual(['jaeger', 'prometheus']);
      for (const name of profileServiceNames) {
        expect(service(name)['profiles'], `${name}'s profiles`).toEqual(['observability']);
        expect(service(name)).not.toHaveProperty('build');
        expect(String(service(name)['image'])).toMatch(/^[\w./-]+:[\w.-]+$/); // a pinned tag
      }
      for (const name of [...appServiceNames, 'nats']) {
        const dependsOn = service(name)['depends_on'];
        for (const profiled of profileServiceNames)
          expect(isDict(dependsOn) ? dependsOn : {}, `${name} depends on`).not.toHaveProperty(profiled);
      }
    });

    it("runs Prometheus with the repository's config, read-only, its data on a declared volume, published on loopback, with a readiness healthcheck", () => {
      const prometheus = service('prometheus');
      expect(String(prometheus['image'])).toMatch(/^prom\/prometheus:v2\./);
      const mounts = ((prometheus['volumes'] as unknown[] | undefined) ?? []).map(volumeMount);
      const config = mounts.find((mount) => mount.target === '/etc/prometheus/prometheus.yml');
      expect(fromRoot(config?.source ?? '')).toBe(prometheusConfigPath);
      expect(config?.readOnly).toBe(true);
      const data = mounts.find((mount) => mount.target === '/prometheus');
      expect(data?.type).toBe('volume');
      expect(Object.keys(asDict(compose['volumes'], 'volumes'))).toContain(data?.source);
      expect(loopbackPort('prometheus')).toEqual({ hostIp: '127.0.0.1', published: '9090', target: '9090' });
      expect(argv(asDict(prometheus['healthcheck'], 'prometheus.healthcheck')['test']).join(' ')).toContain('127.0.0.1:9090/-/ready');
    });

    it.each(['coordinator', 'writer', 'reader', 'downloader'] as const)(
      'has Prometheus find every replica of %s by DNS (type A, its service name) on the port it listens on',
      (name) => {
        const job = scrapeJobs.find((candidate) => candidate['job_name'] === name);
        expect(job, `a scrape job ${name}`).toBeDefined();
        const discovery = ((job?.['dns_sd_configs'] as unknown[] | undefined) ?? []).map((entry) => asDict(entry, 'dns_sd_configs[]'));
        expect(discovery).toHaveLength(1);
        expect(discovery[0]).toMatchObject({ names: [name], type: 'A', port: configOf(name).PORT });
        // /metrics is the default path, served without auth on every service.
        expect(job?.['metrics_path'] ?? '/metrics').toBe('/metrics');
        expect(job).not.toHaveProperty('authorization');
      },
    );

    it('scrapes no job that names a service the file does not run', () => {
      for (const job of scrapeJobs) {
        for (const discovery of ((job['dns_sd_configs'] as unknown[] | undefined) ?? []).map((entry) =>
          asDict(entry, 'dns_sd_configs[]'),
        )) {
          for (const name of (discovery['names'] as unknown[] | undefined) ?? []) expect(Object.keys(services)).toContain(String(name));
        }
      }
    });

    it('runs Jaeger with its UI on loopback only; the services reach its OTLP/HTTP receiver on the compose network', () => {
      expect(String(service('jaeger')['image'])).toMatch(/^jaegertracing\/jaeger:2\./);
      expect(loopbackPort('jaeger')).toEqual({ hostIp: '127.0.0.1', published: '16686', target: '16686' });
      // What .env.example tells users to set: the profile's Jaeger by its service name, on the OTLP/HTTP port.
      expect(readFileSync(resolve(repoRoot, '.env.example'), 'utf8')).toMatch(/^#\s+OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/jaeger:4318$/m);
    });
  });
});

/**
 * docker-compose.cluster.yml over docker-compose.yml, merged here as Compose
 * merges an override (mappings key by key, `command` replaced, volumes by
 * their target): three clustered nats nodes, and every service on all three.
 */
describe('docker-compose.cluster.yml', () => {
  const cluster = asDict(parse(readFileSync(clusterPath, 'utf8')), 'docker-compose.cluster.yml');
  const clusterServices = asDict(cluster['services'], 'services');
  const override = (name: string): Dict => (clusterServices[name] === undefined ? {} : asDict(clusterServices[name], `cluster ${name}`));
  /** A node's definition after the merge: the base's nats under n1's override, n2 and n3 as the override has them. */
  const merged = (name: string): Dict => ({ ...(services[name] === undefined ? {} : service(name)), ...override(name) });
  const mergedVolumes = (name: string) => {
    const byTarget = new Map<string, ReturnType<typeof volumeMount>>();
    for (const source of [services[name] === undefined ? {} : service(name), override(name)]) {
      for (const mount of ((source['volumes'] as unknown[] | undefined) ?? []).map(volumeMount)) byTarget.set(mount.target, mount);
    }
    return byTarget;
  };
  const nodes = [
    { service: 'nats', server: 'n1' },
    { service: 'n2', server: 'n2' },
    { service: 'n3', server: 'n3' },
  ];
  /** The names each node is reached by on the compose network: its service name and its aliases. */
  const hostnamesOf = (name: string): string[] => {
    const networks = merged(name)['networks'];
    const aliases =
      isDict(networks) && isDict(networks['default']) ? ((networks['default']['aliases'] as unknown[] | undefined) ?? []) : [];
    return [name, ...aliases.map(String)];
  };
  const flag = (args: string[], ...names: string[]) => args[args.findIndex((arg) => names.includes(arg)) + 1];

  it('is in the Compose specification format, and adds only nodes n2 and n3 to the base services', () => {
    expect(cluster).not.toHaveProperty('version');
    const added = Object.keys(clusterServices).filter((name) => services[name] === undefined);
    expect(added.sort()).toEqual(['n2', 'n3']);
  });

  it.each(nodes)('runs $service as cluster node $server: the cluster config, JetStream on a volume of its own, a healthcheck', (node) => {
    const definition = merged(node.service);
    const args = argv(definition['command']);
    expect(definition['image'] ?? service('nats')['image']).toBe(service('nats')['image']);
    expect(args).toContain('-js');
    expect(flag(args, '--name', '-n', '--server_name')).toBe(node.server);
    expect(flag(args, '--cluster')).toBe('nats://0.0.0.0:6222');
    expect(flag(args, '-m', '--http_port')).toBe('8222');
    expect(argv(asDict(definition['healthcheck'], `${node.service}.healthcheck`)['test']).join(' ')).toContain('8222/healthz');

    const mounts = mergedVolumes(node.service);
    const configPath = flag(args, '-c', '--config') ?? '';
    expect(fromRoot(mounts.get(configPath)?.source ?? '')).toBe('deploy/nats/cluster.conf');
    expect(mounts.get(configPath)?.readOnly).toBe(true);
    // cluster.conf includes ./nats.conf: the same users and permissions, mounted beside it.
    expect(readFileSync(resolve(repoRoot, 'deploy/nats/cluster.conf'), 'utf8')).toMatch(/^include \.\/nats\.conf$/m);
    expect(fromRoot(mounts.get(resolve('/', configPath, '../nats.conf'))?.source ?? '')).toBe(NATS_CONFIG_FILE);

    const store = mounts.get(flag(args, '-sd', '--store_dir') ?? '');
    expect(store?.type).toBe('volume');
    expect(Object.keys(asDict(cluster['volumes'], 'volumes'))).toContain(store?.source);
  });

  it('gives every node its own store, apart from the single server store, and routes to all three by names that resolve', () => {
    const stores = nodes.map((node) => mergedVolumes(node.service).get('/data')?.source);
    expect(new Set(stores).size).toBe(3);
    const singleServerStore = ((service('nats')['volumes'] as unknown[] | undefined) ?? [])
      .map(volumeMount)
      .find((mount) => mount.target === '/data');
    expect(stores).not.toContain(singleServerStore?.source);
    const reachable = nodes.flatMap((node) => hostnamesOf(node.service));
    for (const node of nodes) {
      const routes = (flag(argv(merged(node.service)['command']), '--routes') ?? '').split(',');
      expect(routes.map((route) => new URL(route).hostname).sort()).toEqual(['n1', 'n2', 'n3']);
      for (const route of routes) expect(reachable).toContain(new URL(route).hostname);
      expect(hostnamesOf(node.service)).toContain(node.server);
    }
  });

  it('publishes each node on the loopback interface only, on ports of its own', () => {
    const published = nodes.map((node) => {
      const ports = (merged(node.service)['ports'] as unknown[] | undefined) ?? [];
      expect(ports).toHaveLength(1);
      return publishedPort(typeof ports[0] === 'string' ? interpolateDefaults(ports[0]) : ports[0]);
    });
    for (const port of published) expect(port).toMatchObject({ hostIp: '127.0.0.1', target: '4222' });
    expect(new Set(published.map((port) => port.published)).size).toBe(3);
  });

  describe.each(appServiceNames)('service %s', (name) => {
    /** The merged environment, with the file's defaults for ${VAR:-default}, as configOf reads the base's. */
    const environment = () =>
      Object.fromEntries(
        Object.entries({ ...environmentOf(name), ...keyValues(override(name)['environment']) }).map(([key, value]) => [
          key,
          value === undefined ? undefined : interpolateDefaults(value),
        ]),
      );

    it('is on the cluster: all three nodes, three replicas, and nothing else changed', () => {
      expect(Object.keys(keyValues(override(name)['environment'])).sort()).toEqual(['NATS_REPLICAS', 'NATS_URL']);
      if (!isServiceName(name)) throw new Error(`${name} has no config schema`);
      const config = loadConfig(serviceConfigSchemas[name], environment());
      expect(config.NATS_REPLICAS).toBe(3);
      const hosts = config.NATS_URL.split(',').map((url) => new URL(url).hostname);
      expect(hosts.sort()).toEqual(['n1', 'n2', 'n3']);
      const reachable = nodes.flatMap((node) => hostnamesOf(node.service));
      for (const host of hosts) expect(reachable).toContain(host);
    });

    it('waits for all three nodes to be healthy: an R3 stream needs three', () => {
      const dependsOn = { ...asDict(service(name)['depends_on'], 'depends_on'), ...asDict(override(name)['depends_on'], 'depends_on') };
      expect(Object.keys(dependsOn).sort()).toEqual(['n2', 'n3', 'nats']);
      for (const node of Object.values(dependsOn)) expect(asDict(node, 'depends_on')['condition']).toBe('service_healthy');
    });
  });
});
