import { freePort, startNatsServer, startServiceProcess, waitFor, type NatsServerHandle, type ServiceProcess } from '@concurrency-lab/testing';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './cleanup.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const SERVICES = ['coordinator', 'writer', 'reader'] as const;
type ServiceName = (typeof SERVICES)[number];

/** The services log at warn during the bench, so logging does not dominate the queue and HTTP figures. */
export const SERVICE_LOG_LEVEL = 'warn';

export interface BenchSystem {
  nats: NatsServerHandle;
  baseUrl: string;
  services: Record<ServiceName, ServiceProcess>;
  /** One more instance of a service (extra readers for the recovery case), stopped with the others. */
  startService(service: ServiceName, env?: Record<string, string>): Promise<ServiceProcess>;
}

export function missingBuilds(): string[] {
  return SERVICES.map((service) => `${repoRoot}apps/${service}/dist/main.js`).filter((script) => !existsSync(script));
}

/** GET url answers 200 (the services serve /healthz only once their NATS side is ready). */
async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * A nats-server (free loopback port, JetStream, temp store) and the three
 * built services on 127.0.0.1, each registered with cleanup as it starts.
 * With LOG_LEVEL=warn the ready lines are not logged, so readiness is each
 * service's /healthz, which it serves only after its NATS setup is done.
 */
export async function startBenchSystem(cleanup: Cleanup): Promise<BenchSystem> {
  const nats = await startNatsServer();
  cleanup.add('nats-server', () => nats.stop());
  // Services stop together (SIGTERM: each drains its NATS connection), before NATS.
  const started: ServiceProcess[] = [];
  cleanup.add('services', () => Promise.all(started.map((child) => child.stop('SIGTERM'))));
  const launch = async (service: ServiceName, env: Record<string, string> = {}) => {
    const port = await freePort();
    const child = startServiceProcess(service, `${repoRoot}apps/${service}/dist/main.js`, {
      NATS_URL: nats.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: SERVICE_LOG_LEVEL,
      LOG_FORMAT: 'json',
      ...env,
    });
    started.push(child);
    // A line nothing matches: rejects with the service's stderr as soon as it exits.
    const exited = child.waitForLine(() => false, 25_000);
    const ready = waitFor(`${service} /healthz on port ${port}`, async () => (await healthy(`http://127.0.0.1:${port}/healthz`)) || undefined, {
      timeoutMs: 20_000,
      intervalMs: 50,
    });
    exited.catch(() => undefined);
    await Promise.race([ready, exited]);
    return { child, port };
  };
  const [coordinator, writer, reader] = await Promise.all([launch('coordinator'), launch('writer'), launch('reader')]);
  return {
    nats,
    baseUrl: `http://127.0.0.1:${coordinator.port}`,
    services: { coordinator: coordinator.child, writer: writer.child, reader: reader.child },
    startService: async (service, env) => (await launch(service, env)).child,
  };
}
