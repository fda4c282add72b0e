import { NATS_CONFIG_FILE } from '@concurrency-lab/config';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertPortsFree, freePort, LOOPBACK, portInUse } from './ports.js';
import { running, stopChild } from './stop-child.js';
import { waitFor } from './wait-for.js';

export interface NatsServerHandle {
  /** nats://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** The server's name (`--name`), when given: a cluster node's. */
  readonly name: string | undefined;
  /** The port the node takes routes from the other nodes on, when it is a cluster node. */
  readonly clusterPort: number | undefined;
  /** The JetStream store; it survives restart(); stop() removes it unless it was given. */
  readonly storeDir: string;
  /** http://127.0.0.1:PORT of the monitoring endpoints (/healthz, /varz, ...), when started with `monitor: true` or a monitorPort. */
  readonly monitorUrl: string | undefined;
  readonly pid: number | undefined;
  /** Whether the server process is running (not killed, stopped or exited). */
  readonly running: boolean;
  /** Stops the server (SIGTERM) and starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Ends the server abruptly, as a crash would. */
  kill(): Promise<void>;
  /** Stops the server and removes its store (a temporary one). */
  stop(): Promise<void>;
}

export const NATS_SERVER_MISSING =
  'nats-server was not found on PATH. Install it with `sudo apt-get install nats-server` ' +
  '(Debian/Ubuntu) or `brew install nats-server` (macOS), or run the system with `docker compose up --build`.';

/** True when a nats-server binary can be run from PATH. */
export function natsServerAvailable(command = 'nats-server'): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface NatsServerOptions {
  command?: string;
  /**
   * A config file (`-c`), e.g. the repository's deploy/nats/nats.conf with its
   * users and permissions. The address, port, JetStream and store given on the
   * command line still apply: flags win over the file.
   */
  configFile?: string;
  /** Environment for the server on top of this process's: the variables the config file references. */
  env?: Record<string, string>;
  /** A fixed client port; a free loopback port when unset. */
  port?: number;
  /** Monitoring on a free loopback port (see monitorUrl); off by default. */
  monitor?: boolean;
  /** Monitoring on this fixed port (implies monitor). */
  monitorPort?: number;
  /** The server's name (`--name`): JetStream needs one per node of a cluster. */
  name?: string;
  /** A node of a JetStream cluster: its route port on loopback, and every node's route URL (its own is skipped). */
  cluster?: { name: string; port: number; routes: string[] };
  /** A JetStream store to keep (created if missing, never removed); a fresh temporary one when unset. */
  storeDir?: string;
  /** The server's output: kept for the error of an early exit (default), or passed straight to this terminal. */
  output?: 'collect' | 'inherit';
  /** A process group of its own, so a terminal's Ctrl-C reaches only the caller, which then stops the server in order. */
  detached?: boolean;
  extraArgs?: string[];
}

/** The command line that makes a server a node of a cluster on loopback. */
function clusterArgs(cluster: NatsServerOptions['cluster']): string[] {
  if (!cluster) return [];
  return ['--cluster_name', cluster.name, '--cluster', `nats://${LOOPBACK}:${cluster.port}`, '--routes', cluster.routes.join(',')];
}

/** What a fixed port is for, in the error when another process holds it. */
const PORT_HINT = 'another nats-server or an earlier npm start?';

/**
 * Starts a real nats-server with JetStream on loopback: a free port and a
 * fresh temporary store unless given (one per test suite, stopped in afterAll).
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const command = options.command ?? 'nats-server';
  if (!natsServerAvailable(command)) throw new Error(NATS_SERVER_MISSING);
  await assertPortsFree(
    [options.port, options.monitorPort, options.cluster?.port].filter((port) => port !== undefined),
    PORT_HINT,
  );
  const port = options.port ?? (await freePort());
  const monitorPort = options.monitorPort ?? (options.monitor ? await freePort() : undefined);
  const ownStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'clab-nats-')));
  if (!ownStore) await mkdir(storeDir, { recursive: true });
  const args = [
    ...(options.configFile ? ['-c', options.configFile] : []),
    ...['-a', LOOPBACK, '-p', String(port), '-js', '-sd', storeDir],
    ...(monitorPort ? ['-m', String(monitorPort)] : []),
    ...(options.name ? ['--name', options.name] : []),
    ...clusterArgs(options.cluster),
    ...(options.extraArgs ?? []),
  ];
  const env = { ...process.env, ...options.env };
  const inherit = options.output === 'inherit';
  let child: ChildProcess | undefined;

  const launch = async () => {
    let output = '';
    const started = spawn(command, args, {
      env,
      stdio: ['ignore', inherit ? 'inherit' : 'pipe', inherit ? 'inherit' : 'pipe'],
      detached: options.detached ?? false,
    });
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = started;
    let exited = false;
    started.once('exit', () => (exited = true));
    // An early exit ends the wait at once (a probe's error would only be retried until the timeout).
    await waitFor(`nats-server on port ${port}`, async () => exited || (await portInUse(port)) || undefined);
    if (exited) throw new Error(`nats-server exited early:\n${inherit ? '(its output is above)' : output}`);
  };
  const removeStore = () => (ownStore ? rm(storeDir, { recursive: true, force: true }) : Promise.resolve());
  try {
    await launch();
  } catch (error) {
    if (child) await stopChild(child, 'SIGKILL');
    await removeStore();
    throw error;
  }

  return {
    url: `nats://${LOOPBACK}:${port}`,
    port,
    name: options.name,
    clusterPort: options.cluster?.port,
    storeDir,
    monitorUrl: monitorPort ? `http://${LOOPBACK}:${monitorPort}` : undefined,
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== undefined && running(child);
    },
    async restart() {
      if (child) await stopChild(child, 'SIGTERM');
      await launch();
    },
    async kill() {
      if (child) await stopChild(child, 'SIGKILL');
    },
    async stop() {
      if (child) await stopChild(child, 'SIGTERM');
      await removeStore();
    },
  };
}

/**
 * nats-server as it ships (docker-compose.yml runs it so): the repository's
 * deploy/nats/nats.conf, with one user per service, least-privilege
 * permissions and bcrypt-hashed passwords; no connection without a user.
 */
export function startShippedNatsServer(repoRoot: string, options: Omit<NatsServerOptions, 'configFile'> = {}): Promise<NatsServerHandle> {
  return startNatsServer({ ...options, configFile: resolve(repoRoot, NATS_CONFIG_FILE) });
}
