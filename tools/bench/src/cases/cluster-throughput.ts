import { LocalSystem, startShippedNatsCluster } from '@concurrency-lab/local-system';
import type { Cleanup } from '../cleanup.js';
import { row } from '../rows.js';
import { SimulationRunner } from '../simulation-runner.js';
import { repoRoot, SERVICE_LOG_LEVEL } from '../system.js';
import { joinNotes, logRow, type CaseContext } from './context.js';
import { projectQueueRun, type QueueCaseResult } from './queue-throughput.js';

/** Three nodes, three copies of everything: the smallest cluster that rides through a node down. */
const CLUSTER_NODES = 3;

/**
 * A second system beside the bench's own: three clustered nats-servers
 * (deploy/nats/cluster.conf) and the three services on all of them with
 * NATS_REPLICAS=3, each part registered with cleanup before it starts.
 */
async function startClusterSystem(cleanup: Cleanup): Promise<{ system: LocalSystem; stop: () => Promise<void> }> {
  const cluster = await startShippedNatsCluster(repoRoot, { nodes: CLUSTER_NODES });
  const forgetCluster = cleanup.add('the cluster nats-servers', () => cluster.stop());
  await cluster.waitForClusterReady({ timeoutMs: 60_000 });
  const system = new LocalSystem({
    repoRoot,
    natsUrl: cluster.urls,
    natsReplicas: CLUSTER_NODES,
    common: { LOG_LEVEL: SERVICE_LOG_LEVEL, LOG_FORMAT: 'json' },
    readiness: 'healthz',
    readyTimeoutMs: 60_000,
  });
  // Registered after the cluster: cleanup runs last-in first, so the services stop before their NATS.
  const forgetSystem = cleanup.add('the services on the cluster', () => system.stop());
  await system.start();
  // Stopped as soon as measured, so the cases after this one have the machine to themselves.
  const stop = async () => {
    forgetSystem();
    await system.stop();
    forgetCluster();
    await cluster.stop();
  };
  return { system, stop };
}

/**
 * Queue throughput on a three-node JetStream cluster, every stream and the
 * consumer in three copies (R3), against the bench's single nats-server (R1),
 * measured one after the other in this run: what the replication costs. Both
 * must deliver every item exactly once.
 */
export async function clusterThroughputCase(ctx: CaseContext, cleanup: Cleanup): Promise<QueueCaseResult> {
  const items = ctx.plan.queueItems;
  const single = await projectQueueRun(ctx, items, 'jetstream');
  ctx.signal.throwIfAborted();
  const { system, stop } = await startClusterSystem(cleanup);
  const clustered = await projectQueueRun({ ...ctx, client: new SimulationRunner(system.baseUrl, ctx.signal) }, items, 'jetstream');
  await stop();
  const r = row({
    id: 'queue/cluster-r3-vs-single-r1',
    group: 'queue throughput',
    what: `${items.toLocaleString('en-US')} items, writer to reader, 0 ms delays, on a ${CLUSTER_NODES}-node cluster (R${CLUSTER_NODES})`,
    unit: 'items/s',
    better: 'higher',
    project: clustered.value,
    anchor: { name: 'the same on one nats-server (R1)', value: single.value },
    note: joinNotes(`R${CLUSTER_NODES}: ${clustered.note ?? ''}`, `R1: ${single.note ?? ''}`),
    params: { items, nodes: CLUSTER_NODES, replicas: CLUSTER_NODES },
  });
  logRow(ctx, r);
  return { rows: [r], intact: single.intact && clustered.intact };
}
