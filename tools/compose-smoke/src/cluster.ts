/**
 * What the cluster smoke judges, apart from Docker and NATS: which compose
 * service runs which node, whether a stream's or consumer's replicas are all
 * there and current, who was connected to a node, and whether the logs tell
 * the node's loss. Each check returns every problem found and a one-line summary.
 */

/** The cluster's nodes by server name (`--name`) and compose service: the base file's nats is n1. */
export const CLUSTER_NODES = [
  { server: 'n1', service: 'nats' },
  { server: 'n2', service: 'n2' },
  { server: 'n3', service: 'n3' },
] as const;

export const NODE_SERVICES: readonly string[] = CLUSTER_NODES.map((node) => node.service);

/** The compose service of a node, by its server name. */
export function serviceOfNode(server: string): string {
  const node = CLUSTER_NODES.find((known) => known.server === server);
  if (!node) throw new Error(`no compose service runs a node named ${JSON.stringify(server)}`);
  return node.service;
}

/** A stream's or consumer's place in the cluster, as its info tells it. */
export interface ReplicaView {
  /** "stream LAB_QUEUE" or "consumer LAB_QUEUE/readers". */
  what: string;
  /** The configured replicas: num_replicas of the stream or consumer (0 for a consumer: the stream's). */
  configured: number;
  leader: string | undefined;
  /** The other replicas; the leader is not among them. */
  peers: readonly { name: string; current: boolean; offline: boolean; lag: number }[];
}

export interface ReplicaVerdict {
  problems: string[];
  summary: string;
}

/**
 * All `replicas` copies are there: a leader, and every other node a current
 * peer, except `down`, a node known to be down, which must not lead and whose
 * copy may be offline.
 */
export function judgeReplicas(view: ReplicaView, replicas: number, down?: string): ReplicaVerdict {
  const problems: string[] = [];
  const peers = view.peers.map((peer) => `${peer.name} ${peer.offline ? 'offline' : peer.current ? 'current' : `behind by ${peer.lag}`}`);
  const summary = `${view.what} R${view.configured || replicas}: leader ${view.leader ?? 'none'}, ${peers.join(', ') || 'no peers'}`;
  if (view.configured !== replicas && view.configured !== 0)
    problems.push(`${view.what} has ${view.configured} replicas, expected ${replicas}`);
  if (!view.leader) problems.push(`${view.what} has no leader`);
  else if (view.leader === down) problems.push(`${view.what} is still led by ${down}, which is down`);
  const copies = (view.leader ? 1 : 0) + view.peers.length;
  if (copies !== replicas) problems.push(`${view.what} has ${copies} copies, expected ${replicas}`);
  for (const peer of view.peers) {
    if (peer.name === down) continue;
    if (peer.offline || !peer.current) problems.push(`${view.what}'s copy on ${peer.name} is not current`);
  }
  return { problems, summary };
}

/** The services with a connection to a node, from its monitoring port's /connz: each service names its connection "<service>-<pid>". */
export function servicesConnected(connzJson: string, services: readonly string[]): string[] {
  const parsed: unknown = JSON.parse(connzJson);
  const connections = typeof parsed === 'object' && parsed !== null && 'connections' in parsed ? parsed.connections : undefined;
  const names = (Array.isArray(connections) ? connections : []).map((connection: unknown) =>
    typeof connection === 'object' && connection !== null && 'name' in connection ? String(connection.name) : '',
  );
  return services.filter((service) => names.some((name) => name.startsWith(`${service}-`)));
}

export interface NodeLossLogs {
  /** `compose logs` of the node that took over the stream's leadership. */
  newLeader: { server: string; logs: string };
  /** `compose logs` of the killed node, after its restart: one container, so both its lives. */
  restarted: { server: string; logs: string };
  /** `compose logs` of each service that was connected to the killed node. */
  reconnected: readonly { service: string; logs: string }[];
  stream: string;
}

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))?.length ?? 0;

/**
 * The logs tell the loss: the new leader says it took the stream over, the
 * killed node started twice, and every service that was connected to it
 * lost that connection and got another.
 */
export function checkNodeLossLogs(logs: NodeLossLogs): ReplicaVerdict {
  const problems: string[] = [];
  const takeover = new RegExp(`new stream leader for '[^']* > ${logs.stream}'`);
  if (!takeover.test(logs.newLeader.logs)) problems.push(`${logs.newLeader.server} does not log taking over ${logs.stream}`);
  const starts = count(logs.restarted.logs, /Starting nats-server/);
  if (starts < 2) problems.push(`${logs.restarted.server} logs ${starts} start(s), expected 2 (killed, then started again)`);
  for (const { service, logs: text } of logs.reconnected) {
    if (!text.includes('disconnected from NATS')) problems.push(`${service} does not log losing its NATS connection`);
    if (!text.includes('reconnected to NATS')) problems.push(`${service} does not log reconnecting to NATS`);
  }
  const who = logs.reconnected.map((entry) => entry.service);
  const summary = `${logs.newLeader.server} took over ${logs.stream}; ${logs.restarted.server} started ${starts} times; ${
    who.length > 0 ? `${who.join(', ')} disconnected and reconnected` : 'no service was connected to the killed node'
  }`;
  return { problems, summary };
}
