/**
 * `npm start`: the docker-compose topology without Docker. A local
 * nats-server with JetStream, then the coordinator, writer and reader built
 * from this repo, all on 127.0.0.1, with every JSON log line in this terminal.
 * Ctrl-C stops the services gracefully (SIGTERM), then NATS.
 *
 * Configured as compose configures the containers: nats-server from
 * deploy/nats/nats.conf (users, their password hashes and permissions), each
 * service from deploy/env/common.env and its own env file. Only what differs
 * here is set on top: NATS_URL, HOST, PORT (and LOG_FORMAT=pretty with --pretty).
 */
import { deployEnvironment, NATS_CONFIG_FILE, type ServiceName } from '@concurrency-lab/config';
// eslint-disable-next-line @nx/enforce-module-boundaries -- TEMPORARY until branch "harness" ends the launcher's run-time use of libs/testing; remove at merge
import { natsServerAvailable, NATS_SERVER_MISSING } from '@concurrency-lab/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    pretty: { type: 'boolean', default: false },
    'nats-port': { type: 'string', default: process.env['NATS_PORT'] ?? '4222' },
    port: { type: 'string', default: process.env['PORT'] ?? '3000' },
    'monitor-port': { type: 'string', default: '8222' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (flags.help) {
  process.stdout.write(
    'Usage: npm start -- [--pretty] [--port 3000] [--nats-port 4222] [--monitor-port 8222]\n' +
      'Runs nats-server (deploy/nats/nats.conf, JetStream, store in tmp/nats) and the coordinator, writer and reader on 127.0.0.1,\n' +
      'configured by the env files in deploy/env.\n',
  );
  process.exit(0);
}

function fail(message: string): never {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1); // the 'exit' handler below ends whatever was already started
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const natsPort = Number(flags['nats-port']);
const coordinatorPort = Number(flags.port);
const monitorPort = Number(flags['monitor-port']);
if (![natsPort, coordinatorPort, monitorPort].every(Number.isInteger)) fail('--port, --nats-port and --monitor-port take port numbers');
if (!natsServerAvailable()) fail(NATS_SERVER_MISSING);
for (const port of [natsPort, monitorPort, coordinatorPort, coordinatorPort + 1, coordinatorPort + 2]) {
  if (await portInUse(port)) fail(`port ${port} on 127.0.0.1 is already in use (another nats-server or an earlier npm start?)`);
}

const services = ['coordinator', 'writer', 'reader'] as const satisfies readonly ServiceName[];
for (const service of services) {
  if (!existsSync(`${repoRoot}apps/${service}/dist/main.js`)) fail(`apps/${service} is not built; run \`npx nx run-many -t build\``);
}

function environmentOf(name: ServiceName): Record<string, string> {
  try {
    return deployEnvironment(repoRoot, name);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}
const serviceEnvironments = Object.fromEntries(services.map((service) => [service, environmentOf(service)]));

const storeDir = `${repoRoot}tmp/nats`;
mkdirSync(storeDir, { recursive: true });
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function start(name: string, command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  // detached: a process group of its own, so Ctrl-C in the terminal reaches only this launcher, which
  // then stops the services one signal at a time, gracefully, and NATS after them.
  const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  children.push({ name, child });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`npm start: ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the rest\n`);
    void stopAll(1);
  });
  return child;
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Services first, so they can drain their NATS connections; NATS last.
  const running = (names: readonly string[]) =>
    children.filter(({ name, child }) => names.includes(name) && child.exitCode === null && child.signalCode === null);
  await Promise.all(
    running(services).map(async ({ child }) => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  for (const { child } of running(['nats-server'])) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
// However the launcher ends, nothing it started outlives it.
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

start(
  'nats-server',
  'nats-server',
  ['-c', NATS_CONFIG_FILE, '-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', storeDir, '-m', String(monitorPort)],
);
for (let attempt = 0; !(await portInUse(natsPort)); attempt++) {
  if (attempt > 100) fail(`nats-server did not open port ${natsPort}`);
  await sleep(50);
}

const local = {
  NATS_URL: `nats://127.0.0.1:${natsPort}`,
  HOST: '127.0.0.1',
  ...(flags.pretty ? { LOG_FORMAT: 'pretty' } : {}),
};
services.forEach((service, index) => {
  start(service, process.execPath, [`apps/${service}/dist/main.js`], { ...serviceEnvironments[service], ...local, PORT: String(coordinatorPort + index) });
});
process.stderr.write(
  `\nConcurrency Lab is starting: coordinator on http://127.0.0.1:${coordinatorPort}, NATS on ${local.NATS_URL} ` +
    `(monitoring http://127.0.0.1:${monitorPort}). Ctrl-C stops everything.\n` +
    `Try: curl -s -X POST http://127.0.0.1:${coordinatorPort}/simulations -H 'content-type: application/json' -d '{"scale":0.1}'\n\n`,
);
