import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsCluster, type NatsClusterHandle } from './nats-cluster.js';
import { portInUse as accepts } from './ports.js';

/** The JetStream meta leader as one node's monitoring sees it. */
async function metaLeaderSeenBy(monitorUrl: string): Promise<string | undefined> {
  const jsz = (await (await fetch(`${monitorUrl}/jsz`)).json()) as { meta_cluster?: { leader?: string; cluster_size?: number } };
  return jsz.meta_cluster?.leader;
}

describe('startNatsCluster', () => {
  let cluster: NatsClusterHandle;
  beforeAll(async () => {
    cluster = await startNatsCluster({ nodes: 3 });
    await cluster.waitForClusterReady();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('runs three named nodes, each with its own ports and store, and one comma-joined NATS_URL', async () => {
    expect(cluster.nodes.map((node) => node.name)).toEqual(['n1', 'n2', 'n3']);
    const ports = cluster.nodes.flatMap((node) => [node.port, node.clusterPort]);
    expect(new Set(ports).size).toBe(6);
    expect(new Set(cluster.nodes.map((node) => node.storeDir)).size).toBe(3);
    expect(cluster.urls).toBe(cluster.nodes.map((node) => `nats://127.0.0.1:${node.port}`).join(','));
    for (const node of cluster.nodes) expect(await accepts(node.clusterPort)).toBe(true);
  });

  it('forms one JetStream cluster: every node names the same meta leader', async () => {
    const leaders = await Promise.all(cluster.nodes.map((node) => metaLeaderSeenBy(node.monitorUrl)));
    expect(new Set(leaders).size).toBe(1);
    expect(cluster.nodes.map((node) => node.name)).toContain(leaders[0]);
  });

  it('elects another meta leader when the leader is killed, and takes the node back after restart', async () => {
    const leader = cluster.node((await metaLeaderSeenBy(cluster.nodes[0]!.monitorUrl))!);
    await leader.kill();
    expect(leader.running).toBe(false);
    await cluster.waitForClusterReady();
    const survivor = cluster.nodes.find((node) => node.running)!;
    expect(await metaLeaderSeenBy(survivor.monitorUrl)).not.toBe(leader.name);
    const before = leader.pid;
    await leader.restart();
    expect(leader.pid).not.toBe(before);
    await cluster.waitForClusterReady({ timeoutMs: 60_000 });
    expect(await metaLeaderSeenBy(leader.monitorUrl)).toBeDefined();
  }, 150_000);

  it('names an unknown node in its error', () => {
    expect(() => cluster.node('n9')).toThrow(/no node n9 .*n1, n2, n3/);
  });

  it('stop() ends every node and removes the stores', async () => {
    const other = await startNatsCluster({ nodes: 3 });
    await other.stop();
    for (const node of other.nodes) {
      expect(await accepts(node.port)).toBe(false);
      expect(existsSync(node.storeDir)).toBe(false);
    }
  }, 60_000);
});
