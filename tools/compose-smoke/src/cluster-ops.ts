import { jetstreamManager, type ClusterInfo, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ReplicaView } from './cluster.js';

/**
 * The cluster as the read-only ops user sees it through the three published
 * ports (what `nats stream info` shows). One connection for the whole run: it
 * moves to another node when the one it is on is killed.
 */
export interface OpsView {
  stream(name: string): Promise<ReplicaView & { lastSeq: number; messages: number }>;
  consumer(stream: string, name: string): Promise<ReplicaView>;
  close(): Promise<void>;
}

const viewOf = (what: string, configured: number | undefined, cluster: ClusterInfo | undefined): ReplicaView => ({
  what,
  configured: configured ?? 0,
  leader: cluster?.leader,
  peers: (cluster?.replicas ?? []).map((peer) => ({
    name: peer.name,
    current: peer.current,
    offline: peer.offline ?? false,
    lag: peer.lag ?? 0,
  })),
});

export async function openOpsView(ports: readonly number[], credentials: { user: string; pass: string }): Promise<OpsView> {
  const nc: NatsConnection = await connect({
    servers: ports.map((port) => `nats://127.0.0.1:${port}`),
    name: 'cluster-smoke-ops',
    ...credentials,
    // The nodes advertise their addresses on the compose network, which the host cannot reach: only the published ports.
    ignoreClusterUpdates: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    timeout: 5_000,
  });
  // A stream without a leader (an election under way) does not answer: a short timeout, and the caller's poll asks again.
  const jsm: JetStreamManager = await jetstreamManager(nc, { timeout: 2_000 });
  return {
    async stream(name) {
      const info = await jsm.streams.info(name);
      return {
        ...viewOf(`stream ${name}`, info.config.num_replicas, info.cluster),
        lastSeq: info.state.last_seq,
        messages: info.state.messages,
      };
    },
    async consumer(stream, name) {
      const info = await jsm.consumers.info(stream, name);
      return viewOf(`consumer ${stream}/${name}`, info.config.num_replicas, info.cluster);
    },
    close: () => nc.close(),
  };
}
