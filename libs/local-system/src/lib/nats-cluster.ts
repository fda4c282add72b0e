import { NATS_CLUSTER_CONFIG_FILE } from '@concurrency-lab/config';
import { resolve } from 'node:path';
import { startNatsServer, type NatsServerHandle, type NatsServerOptions } from './nats-server.js';
import { freePort, LOOPBACK } from './ports.js';
import { waitFor } from './wait-for.js';

/** A node of a local cluster: a NatsServerHandle with its name, route port and monitoring always set. */
export interface NatsClusterNode extends NatsServerHandle {
  readonly name: string;
  readonly clusterPort: number;
  readonly monitorUrl: string;
}

export interface NatsClusterHandle {
  /** n1, n2, n3, ...: each with its own client, route and monitoring port, and its own store. */
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL, comma-joined: a NATS_URL for the services. */
  readonly urls: string;
  /** The node with this server name (as JetStream names a leader or a replica). */
  node(name: string): NatsClusterNode;
  /**
   * Resolves once the running nodes agree on a JetStream meta leader, the
   * leader sees every other running node as current, and each running node's
   * /healthz says its JetStream (streams and consumers included) is current.
   */
  waitForClusterReady(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops every node and removes their temporary stores. */
  stop(): Promise<void>;
}

export interface NatsClusterOptions extends Omit<NatsServerOptions, 'port' | 'monitor' | 'monitorPort' | 'storeDir' | 'name' | 'cluster'> {
  /** 3 by default: the smallest cluster that survives a node down. */
  nodes?: number;
  /** The cluster's name (`--cluster_name`); deploy/nats/cluster.conf says `lab`. */
  clusterName?: string;
}

/** What /jsz says about the JetStream meta group (the part this harness reads). */
interface MetaCluster {
  leader?: string;
  replicas?: { name: string; current: boolean; offline?: boolean }[];
}

/** Distinct free loopback ports: freePort alone may hand out the same port twice in a row. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

async function fetchJson<T>(url: string): Promise<{ ok: boolean; body: T }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return { ok: response.ok, body: (await response.json()) as T };
}

/** The running nodes the meta leader does not count as current peers (all of them while there is no leader). */
async function nodesNotJoined(nodes: readonly NatsClusterNode[]): Promise<NatsClusterNode[]> {
  const live = nodes.filter((node) => node.running);
  for (const node of live) {
    const meta = (await fetchJson<{ meta_cluster?: MetaCluster }>(`${node.monitorUrl}/jsz`).catch(() => undefined))?.body.meta_cluster;
    if (meta?.leader !== node.name) continue;
    return live.filter((other) => other !== node && !meta.replicas?.some((replica) => replica.name === other.name && replica.current));
  }
  return live;
}

/**
 * Started all at once on a loaded machine, a node now and then never joins the
 * JetStream meta group (its leader lists only the other peers, for good). One
 * restart of such a node, with its store, lets it join; a node still out after
 * that is left to waitForClusterReady to report.
 */
async function joinStragglers(nodes: readonly NatsClusterNode[], waitMs: number): Promise<void> {
  const formed = await waitFor('the meta group', async () => (await nodesNotJoined(nodes)).length === 0 || undefined, {
    timeoutMs: waitMs,
    intervalMs: 250,
  }).catch(() => false);
  if (formed) return;
  const stragglers = await nodesNotJoined(nodes);
  if (stragglers.length === nodes.length) return; // no leader at all: nothing a restart of one node would fix
  await Promise.all(stragglers.map((node) => node.restart()));
}

/** undefined while not ready; throws (for waitFor's last error) with what is still missing. */
async function clusterReady(nodes: readonly NatsClusterNode[]): Promise<true | undefined> {
  const live = nodes.filter((node) => node.running);
  const metas = await Promise.all(
    live.map(async (node) => (await fetchJson<{ meta_cluster?: MetaCluster }>(`${node.monitorUrl}/jsz`)).body),
  );
  const leaders = new Set(metas.map((jsz) => jsz.meta_cluster?.leader));
  const [leaderName] = leaders;
  if (leaders.size !== 1 || !leaderName) throw new Error(`no meta leader all nodes agree on (${[...leaders].join(', ') || 'none'})`);
  const leaderMeta = metas[live.findIndex((node) => node.name === leaderName)]?.meta_cluster;
  if (!leaderMeta) throw new Error(`meta leader ${leaderName} is not a running node`);
  const behind = live
    .filter((node) => node.name !== leaderName)
    .filter((node) => !leaderMeta.replicas?.some((replica) => replica.name === node.name && replica.current && !replica.offline));
  if (behind.length > 0) {
    const seen = JSON.stringify(leaderMeta.replicas ?? []);
    throw new Error(`meta leader ${leaderName} does not see ${behind.map((node) => node.name).join(', ')} as current (its peers: ${seen})`);
  }
  for (const node of live) {
    const health = await fetchJson<{ status?: string; error?: string }>(`${node.monitorUrl}/healthz`);
    if (!health.ok) throw new Error(`${node.name} /healthz: ${health.body.error ?? health.body.status}`);
  }
  return true;
}

/**
 * Starts a JetStream cluster of real nats-servers on loopback: each node with
 * free client, route and monitoring ports and a temporary store of its own,
 * every node routed to every other. Call waitForClusterReady before use.
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsClusterHandle> {
  const { nodes: count = 3, clusterName = 'lab', ...serverOptions } = options;
  const ports = await distinctFreePorts(count * 3);
  const plan = Array.from({ length: count }, (_, index) => ({
    name: `n${index + 1}`,
    port: ports[index * 3] as number,
    clusterPort: ports[index * 3 + 1] as number,
    monitorPort: ports[index * 3 + 2] as number,
  }));
  const routes = plan.map((node) => `nats://${LOOPBACK}:${node.clusterPort}`);
  const started = await Promise.allSettled(
    plan.map((node) =>
      startNatsServer({
        ...serverOptions,
        name: node.name,
        port: node.port,
        monitorPort: node.monitorPort,
        cluster: { name: clusterName, port: node.clusterPort, routes },
      }),
    ),
  );
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value as NatsClusterNode] : []));
  // A restarted node may miss the meta group as a node started with the others may: the same one retry.
  const handles: NatsClusterNode[] = servers.map(
    (server) =>
      Object.create(server, {
        restart: {
          value: async () => {
            await server.restart();
            await joinStragglers(servers, 15_000);
          },
        },
      }) as NatsClusterNode,
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(servers.map((node) => node.stop()));
    throw failed.reason;
  }
  await joinStragglers(servers, 15_000);
  return {
    nodes: handles,
    urls: handles.map((node) => node.url).join(','),
    node(name) {
      const found = handles.find((node) => node.name === name);
      if (!found) throw new Error(`no node ${name} in this cluster (${handles.map((node) => node.name).join(', ')})`);
      return found;
    },
    waitForClusterReady: ({ timeoutMs = 30_000 } = {}) =>
      waitFor('the JetStream cluster (meta leader, current peers, healthy nodes)', () => clusterReady(handles), {
        timeoutMs,
        intervalMs: 200,
      }).then(() => undefined),
    stop: async () => {
      await Promise.all(handles.map((node) => node.stop()));
    },
  };
}

/** The cluster as it ships: every node on deploy/nats/cluster.conf (the users and permissions of nats.conf). */
export function startShippedNatsCluster(
  repoRoot: string,
  options: Omit<NatsClusterOptions, 'configFile'> = {},
): Promise<NatsClusterHandle> {
  return startNatsCluster({ ...options, configFile: resolve(repoRoot, NATS_CLUSTER_CONFIG_FILE) });
}
