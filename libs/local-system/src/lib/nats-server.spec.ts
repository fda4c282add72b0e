import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';
import { freePort, portInUse as accepts } from './ports.js';

describe('startNatsServer', () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('listens on a loopback port with a temporary JetStream store', async () => {
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(await accepts(server.port)).toBe(true);
    expect(existsSync(server.storeDir)).toBe(true);
  });

  it('restarts on the same port', async () => {
    const before = server.pid;
    await server.restart();
    expect(server.pid).not.toBe(before);
    expect(await accepts(server.port)).toBe(true);
  });

  it('reports a server that cannot start at once, with its output', async () => {
    const started = Date.now();
    await expect(startNatsServer({ extraArgs: ['--no-such-flag'] })).rejects.toThrow(/exited early/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stop() closes the port and removes the store', async () => {
    const other = await startNatsServer();
    await other.stop();
    expect(await accepts(other.port)).toBe(false);
    expect(existsSync(other.storeDir)).toBe(false);
  });
});

describe('startNatsServer with a config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clab-nats-conf-'));
  const configFile = join(dir, 'nats.conf');
  // A password from the environment, as deploy/nats/nats.conf takes them.
  writeFileSync(configFile, 'authorization {\n  users: [ { user: spec, password: $SPEC_PASSWORD } ]\n}\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs it with the environment it references, flags on top, and monitoring on a free port', async () => {
    const server = await startNatsServer({ configFile, env: { SPEC_PASSWORD: 'from-the-env' }, monitor: true });
    try {
      expect(server.monitorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const varz = (await (await fetch(`${server.monitorUrl}/varz`)).json()) as { port: number; auth_required: boolean };
      expect(varz.port).toBe(server.port);
      expect(varz.auth_required).toBe(true);
      // JetStream from the flags, on the temporary store.
      const jsz = (await (await fetch(`${server.monitorUrl}/jsz`)).json()) as { config?: { store_dir: string } };
      expect(jsz.config?.store_dir).toContain(server.storeDir);
      await server.restart(); // same config and environment again
      expect((await fetch(`${server.monitorUrl}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('leaves monitoring off unless asked', async () => {
    const server = await startNatsServer({ configFile, env: { SPEC_PASSWORD: 'x-password' } });
    try {
      expect(server.monitorUrl).toBeUndefined();
    } finally {
      await server.stop();
    }
  });

  it('reports a config whose variable is not set, with the server output', async () => {
    await expect(startNatsServer({ configFile, env: {} })).rejects.toThrow(/exited early[\s\S]*SPEC_PASSWORD/);
  });
});

describe('startNatsServer on a given port and store', () => {
  it('keeps a given store after stop(), and refuses a port that is taken', async () => {
    const storeDir = mkdtempSync(join(tmpdir(), 'clab-nats-given-'));
    try {
      const port = await freePort();
      const server = await startNatsServer({ port, storeDir });
      expect(server.url).toBe(`nats://127.0.0.1:${port}`);
      expect(server.running).toBe(true);
      await expect(startNatsServer({ port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
      await server.stop();
      expect(server.running).toBe(false);
      expect(await accepts(port)).toBe(false);
      expect(existsSync(join(storeDir, 'jetstream'))).toBe(true);
    } finally {
      rmSync(storeDir, { recursive: true, force: true });
    }
  });
});
