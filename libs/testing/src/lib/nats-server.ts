import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

export interface NatsServerHandle {
  /** nats://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** The JetStream store; it survives restart() and is removed by stop(). */
  readonly storeDir: string;
  /** http://127.0.0.1:PORT of the monitoring endpoints (/healthz, /varz, ...), when started with `monitor: true`. */
  readonly monitorUrl: string | undefined;
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM) and starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Ends the server abruptly, as a crash would. */
  kill(): Promise<void>;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

export const NATS_SERVER_MISSING =
  'nats-server was not found on PATH. Install it with `sudo apt-get install nats-server` ' +
  '(Debian/Ubuntu) or `brew install nats-server` (macOS), or run the system with `docker compose up --build`.';

/** True when a nats-server binary can be run from PATH. */
export function natsServerAvailable(command = 'nats-server'): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
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
  /** Monitoring on a free loopback port (see monitorUrl); off by default. */
  monitor?: boolean;
  extraArgs?: string[];
}

/**
 * Starts a real nats-server with JetStream on a free loopback port and a
 * fresh temporary store: one per test suite, stopped in afterAll.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const command = options.command ?? 'nats-server';
  if (!natsServerAvailable(command)) throw new Error(NATS_SERVER_MISSING);
  const port = await freePort();
  const monitorPort = options.monitor ? await freePort() : undefined;
  const storeDir = await mkdtemp(join(tmpdir(), 'clab-nats-'));
  const args = [
    ...(options.configFile ? ['-c', options.configFile] : []),
    ...['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
    ...(monitorPort ? ['-m', String(monitorPort)] : []),
    ...(options.extraArgs ?? []),
  ];
  const env = { ...process.env, ...options.env };
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async () => {
    output = '';
    const started = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = started;
    let exited = false;
    started.once('exit', () => (exited = true));
    // An early exit ends the wait at once (a probe's error would only be retried until the timeout).
    await waitFor(`nats-server on port ${port}`, async () => exited || (await portAccepts(port)) || undefined);
    if (exited) throw new Error(`nats-server exited early:\n${output}`);
  };
  try {
    await launch();
  } catch (error) {
    await rm(storeDir, { recursive: true, force: true });
    throw error;
  }

  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    monitorUrl: monitorPort ? `http://127.0.0.1:${monitorPort}` : undefined,
    get pid() {
      return child?.pid;
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
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
