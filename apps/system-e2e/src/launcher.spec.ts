import { freePort, LineLog, portInUse, waitFor } from '@concurrency-lab/local-system';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const launcherScript = fileURLToPath(new URL('../../../tools/launcher/dist/main.js', import.meta.url));

/** `npm start` without npm: the built launcher, its stdout (the services' lines) read as JSON lines, its stderr kept. */
function runLauncher(args: string[]) {
  const child = spawn(process.execPath, [launcherScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new LineLog();
  let stderr = '';
  createInterface({ input: child.stdout }).on('line', (text) => log.push(text));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, log, stderr: () => stderr, exited };
}

/** A coordinator port whose next three (the writer's, the reader's and the downloader's) are free too. */
async function freePortRun(): Promise<number> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const port = await freePort();
    if (!(await portInUse(port + 1)) && !(await portInUse(port + 2)) && !(await portInUse(port + 3))) return port;
  }
  throw new Error('no four free ports in a row');
}

describe('npm start (the launcher, on the local-system harness)', () => {
  const storeDir = mkdtempSync(join(tmpdir(), 'clab-launcher-'));
  afterAll(() => rmSync(storeDir, { recursive: true, force: true }));

  it('runs NATS with the shipped config and the four services on the given ports; Ctrl-C stops them all gracefully', async () => {
    const [port, natsPort, monitorPort] = [await freePortRun(), await freePort(), await freePort()];
    const launcher = runLauncher([
      '--port',
      String(port),
      '--nats-port',
      String(natsPort),
      '--monitor-port',
      String(monitorPort),
      '--store-dir',
      storeDir,
    ]);
    try {
      await launcher.log.waitForLine((line) => line['service'] === 'coordinator' && line.msg === 'listening', 60_000, 'launcher');
      await launcher.log.waitForLine((line) => line.msg === 'writer ready', 60_000, 'launcher');
      await launcher.log.waitForLine((line) => line.msg === 'reader ready', 60_000, 'launcher');
      await launcher.log.waitForLine((line) => line.msg === 'downloader ready', 60_000, 'launcher');
      expect(launcher.stderr()).toContain(
        `Concurrency Lab is starting: coordinator on http://127.0.0.1:${port}, NATS on nats://127.0.0.1:${natsPort}`,
      );
      await waitFor('the coordinator ready', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 || undefined, {
        timeoutMs: 30_000,
      });
      const varz = (await (await fetch(`http://127.0.0.1:${monitorPort}/varz`)).json()) as { auth_required: boolean };
      expect(varz.auth_required).toBe(true);
      const jsz = (await (await fetch(`http://127.0.0.1:${monitorPort}/jsz`)).json()) as { config?: { store_dir: string } };
      expect(jsz.config?.store_dir).toContain(storeDir);
    } finally {
      launcher.child.kill('SIGINT');
    }
    expect(await launcher.exited).toBe(0);
    expect(
      launcher.log.lines
        .filter((line) => line.msg === 'shutdown complete')
        .map((line) => line['service'])
        .sort(),
    ).toEqual(['coordinator', 'downloader', 'reader', 'writer']);
    for (const taken of [port, port + 1, port + 2, port + 3, natsPort, monitorPort]) expect(await portInUse(taken)).toBe(false);
  });

  it('refuses a port already in use, saying which, and starts nothing', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const natsPort = (blocker.address() as { port: number }).port;
    const port = await freePortRun();
    try {
      const launcher = runLauncher([
        '--port',
        String(port),
        '--nats-port',
        String(natsPort),
        '--monitor-port',
        String(await freePort()),
        '--store-dir',
        storeDir,
      ]);
      expect(await launcher.exited).toBe(1);
      expect(launcher.stderr()).toContain(`npm start: port ${natsPort} on 127.0.0.1 is already in use`);
      expect(await portInUse(port)).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
