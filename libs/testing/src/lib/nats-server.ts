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

/**
 * Starts a real nats-server with JetStream on a free loopback port and a
 * fresh temporary store: one per test suite, stopped in afterAll.
 */
export async function startNatsServer(options: { command?: string; extraArgs?: string[] } = {}): Promise<NatsServerHandle> {
  const command = options.command ?? 'nats-server';
  if (!natsServerAvailable(command)) throw new Error(NATS_SERVER_MISSING);
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'clab-nats-'));
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, ...(options.extraArgs ?? [])];
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async () => {
    output = '';
    const started = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
