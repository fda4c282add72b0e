/**
 * `npm start`: the docker-compose topology without Docker. A local
 * nats-server with JetStream, then the coordinator, writer, reader and downloader built
 * from this repo, all on 127.0.0.1, with every JSON log line in this terminal.
 * Ctrl-C stops the services gracefully (SIGTERM), then NATS.
 *
 * Configured as compose configures the containers: nats-server from
 * deploy/nats/nats.conf (users, their password hashes and permissions), each
 * service from deploy/env/common.env and its own env file. Only what differs
 * here is set on top: NATS_URL, HOST, PORT (and LOG_FORMAT=pretty with --pretty).
 * The local-system harness does the starting and stopping, as for the e2e suite and the bench.
 */
import { LocalSystem, NATS_SERVER_MISSING, natsServerAvailable } from '@concurrency-lab/local-system';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    pretty: { type: 'boolean', default: false },
    'nats-port': { type: 'string', default: process.env['NATS_PORT'] ?? '4222' },
    port: { type: 'string', default: process.env['PORT'] ?? '3000' },
    'monitor-port': { type: 'string', default: '8222' },
    'store-dir': { type: 'string', default: 'tmp/nats' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (flags.help) {
  process.stdout.write(
    'Usage: npm start -- [--pretty] [--port 3000] [--nats-port 4222] [--monitor-port 8222] [--store-dir tmp/nats]\n' +
      'Runs nats-server (deploy/nats/nats.conf, JetStream, store in tmp/nats or --store-dir, relative to the repository) and the coordinator, writer, reader and downloader on 127.0.0.1,\n' +
      'configured by the env files in deploy/env.\n',
  );
  process.exit(0);
}

function fail(message: string): never {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1); // the 'exit' handler below ends whatever was already started
}

const natsPort = Number(flags['nats-port']);
const coordinatorPort = Number(flags.port);
const monitorPort = Number(flags['monitor-port']);
if (![natsPort, coordinatorPort, monitorPort].every(Number.isInteger)) fail('--port, --nats-port and --monitor-port take port numbers');
if (!natsServerAvailable()) fail(NATS_SERVER_MISSING);

let stopping = false;
const system = new LocalSystem({
  repoRoot,
  nats: { port: natsPort, monitorPort, storeDir: resolve(repoRoot, flags['store-dir']) },
  ports: { coordinator: coordinatorPort, writer: coordinatorPort + 1, reader: coordinatorPort + 2, downloader: coordinatorPort + 3 },
  common: flags.pretty ? { LOG_FORMAT: 'pretty' } : {},
  // As before the harness: every line straight to this terminal, nothing awaited.
  readiness: 'none',
  output: 'inherit',
  // detached: a process group of its own, so Ctrl-C in the terminal reaches only this launcher, which
  // then stops the services one signal at a time, gracefully, and NATS after them.
  detached: true,
  onUnexpectedExit(service, how) {
    if (stopping) return;
    process.stderr.write(`npm start: ${service.name} exited unexpectedly (${how}); stopping the rest\n`);
    void stopAll(1);
  },
});

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await system.stop();
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
// However the launcher ends, nothing it started outlives it.
process.on('exit', () => system.killAll());

try {
  await system.start();
  process.stderr.write(
    `\nConcurrency Lab is starting: coordinator on http://127.0.0.1:${coordinatorPort}, NATS on ${system.nats.url} ` +
      `(monitoring http://127.0.0.1:${monitorPort}). Ctrl-C stops everything.\n` +
      `Try: curl -s -X POST http://127.0.0.1:${coordinatorPort}/simulations -H 'content-type: application/json' -d '{"scale":0.1}'\n\n`,
  );
} catch (error) {
  // Stopped while starting (Ctrl-C): stopAll exits once everything has stopped.
  if (!stopping) fail(error instanceof Error ? error.message : String(error));
}
