import { deployEnvironment } from '@concurrency-lab/config';
import {
  LocalSystem,
  missingBuilds as missingServiceBuilds,
  startNatsServer,
  startShippedNatsServer,
  type NatsServerHandle,
  type ServiceProcess,
} from '@concurrency-lab/local-system';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './cleanup.js';
import type { NatsCredentials } from './nats-anchors.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

type ServiceName = 'coordinator' | 'writer' | 'reader' | 'downloader';

/** Slots per downloader in the bench: four of them hold the distributed case's 50 tasks at once. */
export const BENCH_DOWNLOADER_CONCURRENCY = 16;

/** The services log at warn during the bench, so logging does not dominate the queue and HTTP figures. */
export const SERVICE_LOG_LEVEL = 'warn';

/** A nats-server with the shipped config and no services on it, and the users the raw anchors publish and subscribe as there. */
export interface ShippedAnchorNats {
  url: string;
  writer: NatsCredentials;
  reader: NatsCredentials;
}

export interface BenchSystem {
  /** The system's nats-server: the shipped config (users, permissions), as compose runs it. */
  nats: NatsServerHandle;
  baseUrl: string;
  services: Record<ServiceName, ServiceProcess>;
  /** One more instance of a service (extra readers for the recovery case), stopped with the others. */
  startService(service: ServiceName, env?: Record<string, string>): Promise<ServiceProcess>;
  /** Where a service process answers HTTP. */
  urlOf(service: ServiceProcess): string;
  /** A bare nats-server (no users, no permissions) for the raw nats.js anchors: raw nats.js as its docs run it. */
  anchorNatsUrl: string;
  /** The same raw publish with the shipped config, for what auth and permissions cost. */
  shippedAnchor: ShippedAnchorNats;
}

export function missingBuilds(): string[] {
  return missingServiceBuilds(repoRoot);
}

function credentialsOf(service: 'writer' | 'reader'): NatsCredentials {
  const { NATS_USER: user, NATS_PASSWORD: pass } = deployEnvironment(repoRoot, service);
  if (!user || !pass) throw new Error(`deploy/env/${service}.env sets no NATS_USER and NATS_PASSWORD`);
  return { user, pass };
}

/**
 * The system as it ships, through the local-system harness that npm start
 * and the e2e suite use: nats-server with deploy/nats/nats.conf and the
 * three built services on 127.0.0.1, each with its NATS user from deploy/env.
 * With LOG_LEVEL=warn the ready lines are not logged, so readiness is each
 * service's /healthz, which it serves only after its NATS setup is done.
 * Beside it, two nats-servers without services for the raw anchors: one
 * bare, one with the shipped config. Each is registered with cleanup before
 * it starts, so an interrupted start leaves nothing behind.
 */
export async function startBenchSystem(cleanup: Cleanup): Promise<BenchSystem> {
  const system = new LocalSystem({
    repoRoot,
    common: { LOG_LEVEL: SERVICE_LOG_LEVEL, LOG_FORMAT: 'json' },
    environment: { downloader: { DOWNLOADER_CONCURRENCY: String(BENCH_DOWNLOADER_CONCURRENCY) } },
    readiness: 'healthz',
    // Generous: on a loaded machine the services' start (and the bcrypt check of each NATS login) takes a while; the deadline bounds it.
    readyTimeoutMs: 60_000,
  });
  cleanup.add('the system (services, then nats-server)', () => system.stop());
  await system.start();
  const anchorNats = await startNatsServer();
  cleanup.add('anchor nats-server', () => anchorNats.stop());
  const shippedAnchorNats = await startShippedNatsServer(repoRoot);
  cleanup.add('anchor nats-server with the shipped config', () => shippedAnchorNats.stop());
  return {
    nats: system.nats,
    baseUrl: system.baseUrl,
    services: system.services,
    startService: (service, env) => system.startService(service, env),
    urlOf: (service) => system.urlOf(service),
    anchorNatsUrl: anchorNats.url,
    shippedAnchor: { url: shippedAnchorNats.url, writer: credentialsOf('writer'), reader: credentialsOf('reader') },
  };
}
