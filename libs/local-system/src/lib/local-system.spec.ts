import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSystem, startLocalSystem } from './local-system.js';
import { startShippedNatsCluster, type NatsClusterHandle } from './nats-cluster.js';
import { freePort, portInUse } from './ports.js';
import type { ServiceProcess } from './service-process.js';

const realRepo = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * A stand-in service: logs JSON lines as the real ones do (its ready line,
 * "shutting down" on SIGTERM), answers /healthz, and answers / with the
 * environment it got. FAIL_AT_START makes it exit at once, saying why.
 */
const FAKE_SERVICE = `
import { createServer } from 'node:http';
const name = process.argv[1].split('/').at(-3);
const log = (level, msg) => { if (level !== 'info' || process.env.LOG_LEVEL !== 'warn') console.log(JSON.stringify({ service: name, msg })); };
if (process.env.FAIL_AT_START) {
  log('error', 'cannot start: ' + process.env.FAIL_AT_START);
  console.error('stderr: giving up');
  process.exit(3);
}
const server = createServer((request, response) => response.end(JSON.stringify(request.url === '/healthz' ? { status: 'ok' } : process.env)));
server.listen(Number(process.env.PORT), process.env.HOST, () => log('info', name === 'coordinator' ? 'listening' : name + ' ready'));
process.on('SIGTERM', () => { log('info', 'shutting down'); server.close(() => process.exit(0)); });
`;

/** A repository root with the real deploy/ files and the stand-in as every service's build. */
function fakeRepo(services = ['coordinator', 'writer', 'reader', 'downloader']): string {
  const root = mkdtempSync(join(tmpdir(), 'clab-local-system-'));
  cpSync(join(realRepo, 'deploy'), join(root, 'deploy'), { recursive: true });
  for (const service of services) {
    mkdirSync(join(root, 'apps', service, 'dist'), { recursive: true });
    writeFileSync(join(root, 'apps', service, 'dist', 'main.js'), FAKE_SERVICE);
  }
  return root;
}

/** The first answer of nats-server to CONNECT (with or without a user) and PING: +OK/PONG, or -ERR. */
function natsAnswer(port: number, credentials?: { user: string; pass: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.startsWith('INFO') && text.includes('\r\n') && !text.includes('CONNECT_SENT')) {
        socket.write(`CONNECT ${JSON.stringify({ verbose: false, ...credentials })}\r\nPING\r\n`);
        text += 'CONNECT_SENT';
      } else if (/PONG|-ERR/.test(text)) {
        socket.destroy();
        resolve(/-ERR[^\r]*/.exec(text)?.[0] ?? 'PONG');
      }
    });
    socket.once('error', reject);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function serviceEnv(system: LocalSystem, service: ServiceProcess): Promise<Record<string, string>> {
  return (await (await fetch(`${system.urlOf(service)}/`)).json()) as Record<string, string>;
}

describe('LocalSystem', () => {
  const root = fakeRepo();
  let system: LocalSystem;
  const unexpected: string[] = [];
  beforeAll(async () => {
    system = await startLocalSystem({
      repoRoot: root,
      common: { LOG_LEVEL: 'info' },
      environment: { reader: { ACK_WAIT_MS: '1234' } },
      onUnexpectedExit: (service, how) => unexpected.push(`${service.name} ${how}`),
    });
  });
  afterAll(async () => {
    await system?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('runs NATS with the shipped users: a service connects with its env file, nobody without one', async () => {
    const coordinator = await serviceEnv(system, system.services.coordinator);
    expect(coordinator).toMatchObject({
      NATS_URL: system.nats.url,
      NATS_USER: 'coordinator',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    });
    expect(system.baseUrl).toBe(`http://127.0.0.1:${coordinator['PORT']}`);
    const reader = await serviceEnv(system, system.services.reader);
    expect(reader).toMatchObject({ NATS_USER: 'reader', ACK_WAIT_MS: '1234' });
    expect(await natsAnswer(system.nats.port, { user: 'reader', pass: String(reader['NATS_PASSWORD']) })).toBe('PONG');
    expect(await natsAnswer(system.nats.port)).toMatch(/-ERR 'Authorization Violation'/);
  });

  it('starts, kills and restarts single services; a death it did not cause is reported', async () => {
    const extra = await system.startService('reader', { EXTRA: 'yes' });
    expect(extra.pid).not.toBe(system.services.reader.pid);
    const restarted = await system.restartService(extra);
    expect(alive(extra.pid)).toBe(false);
    expect(await serviceEnv(system, restarted)).toMatchObject({ EXTRA: 'yes', NATS_USER: 'reader' });
    await system.killService(restarted);
    expect(restarted.child.signalCode).toBe('SIGKILL');
    expect(system.linesOfAll((line) => line.msg === 'reader ready')).toHaveLength(3);
    expect(unexpected).toEqual([]);

    const crashing = await system.startService('writer');
    crashing.child.kill('SIGKILL');
    await expect(crashing.waitForLine(() => false)).rejects.toThrow(/writer exited/);
    expect(unexpected).toEqual(['writer SIGKILL']);
  });

  it('restarts NATS on the same port', async () => {
    const before = system.nats.pid;
    await system.nats.restart();
    expect(system.nats.pid).not.toBe(before);
    expect(await natsAnswer(system.nats.port)).toMatch(/Authorization Violation/);
  });

  it('stop() ends every service gracefully, then NATS, and removes the temporary store', async () => {
    const services = Object.values(system.services);
    const { port, storeDir } = system.nats;
    await system.stop();
    for (const service of services) {
      expect(alive(service.pid)).toBe(false);
      expect(service.child.exitCode).toBe(0);
      expect(service.lines.at(-1)?.msg).toBe('shutting down');
    }
    expect(await portInUse(port)).toBe(false);
    expect(existsSync(storeDir)).toBe(false);
    await system.stop(); // twice is harmless
    await expect(system.startService('reader')).rejects.toThrow(/stopping/);
  });
});

describe('LocalSystem on a NATS cluster it did not start', () => {
  const root = fakeRepo();
  let cluster: NatsClusterHandle;
  let system: LocalSystem;
  beforeAll(async () => {
    cluster = await startShippedNatsCluster(realRepo, { nodes: 3 });
    system = await startLocalSystem({ repoRoot: root, natsUrl: cluster.urls, natsReplicas: 3 });
  }, 60_000);
  afterAll(async () => {
    await system?.stop();
    await cluster?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('gives every service all the URLs and NATS_REPLICAS, and leaves the cluster running when it stops', async () => {
    for (const service of Object.values(system.services)) {
      expect(await serviceEnv(system, service)).toMatchObject({ NATS_URL: cluster.urls, NATS_REPLICAS: '3', NATS_USER: service.name });
    }
    expect(() => system.nats).toThrow(/did not start/);
    const reader = await serviceEnv(system, system.services.reader);
    const node = cluster.nodes[1]!;
    expect(await natsAnswer(node.port, { user: 'reader', pass: String(reader['NATS_PASSWORD']) })).toBe('PONG');
    await system.stop();
    for (const each of cluster.nodes) expect(await portInUse(each.port)).toBe(true);
  });
});

describe('LocalSystem failing to start', () => {
  const root = fakeRepo();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names a service that exits at start, with its last lines, and leaves nothing running', async () => {
    const natsPort = await freePort();
    const failing = startLocalSystem({ repoRoot: root, nats: { port: natsPort }, environment: { writer: { FAIL_AT_START: 'no disk' } } });
    await expect(failing).rejects.toThrow(/writer exited with 3[\s\S]*cannot start: no disk[\s\S]*stderr: giving up/);
    expect(await portInUse(natsPort)).toBe(false);
  });

  it('refuses a fixed port in use before starting anything', async () => {
    const natsPort = await freePort();
    const blocker = new LocalSystem({ repoRoot: root, readiness: 'healthz', common: { LOG_LEVEL: 'warn' } });
    await blocker.start();
    try {
      expect(blocker.services.writer.lines).toEqual([]); // ready by /healthz, with no ready line logged
      const coordinatorPort = Number(new URL(blocker.baseUrl).port);
      const refused = startLocalSystem({ repoRoot: root, nats: { port: natsPort }, ports: { coordinator: coordinatorPort } });
      await expect(refused).rejects.toThrow(`port ${coordinatorPort} on 127.0.0.1 is already in use`);
      expect(await portInUse(natsPort)).toBe(false);
    } finally {
      await blocker.stop();
    }
  });

  it('says which service is not built', async () => {
    const partial = fakeRepo(['coordinator', 'reader', 'downloader']);
    try {
      await expect(startLocalSystem({ repoRoot: partial })).rejects.toThrow(
        'not built: apps/writer/dist/main.js; run `npx nx run-many -t build`',
      );
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  });
});
