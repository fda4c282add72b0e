/**
 * `npm run smoke:cluster`: docker-compose.yml with docker-compose.cluster.yml
 * run for real under a throw-away project name, and a node lost for real:
 * the queue stream's leader is `docker kill`ed mid-run, the run must complete
 * with nothing lost and nothing counted twice, and the node, started again,
 * must catch up. One line per step with its time; always torn down.
 * Exit codes: 0 passed, 1 failed, 2 bad usage, 130 interrupted.
 */
import { createCoordinatorClient, type QueueRunRequest } from '@concurrency-lab/api-client';
import { deployEnvironment } from '@concurrency-lab/config';
import { freePort, portInUse } from '@concurrency-lab/local-system';
import { fileURLToPath } from 'node:url';
import { checkQueueAnswer, type QueueAnswerCheck } from './answers.js';
import { checkNodeLossLogs, judgeReplicas, NODE_SERVICES, serviceOfNode, servicesConnected, type ReplicaView } from './cluster.js';
import { CLUSTER_USAGE, parseClusterSmokeOptions, type ClusterSmokeOptions } from './cluster-options.js';
import { openOpsView, type OpsView } from './cluster-ops.js';
import { composeEnvironment, detectCompose, systemServices } from './compose.js';
import { errorText, Failure, seconds, SmokeSession } from './session.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FILES = ['docker-compose.yml', 'docker-compose.cluster.yml'] as const;
const APP_SERVICES = ['coordinator', 'writer', 'reader'] as const;
const REPLICAS = 3;
const QUEUE_STREAM = 'LAB_QUEUE';
const EVENTS_STREAM = 'LAB_EVENTS';
const READER_CONSUMER = 'readers';
/** Per item: long enough for the run to outlast a leader election, short enough for a quick smoke. */
const ITEM_DELAY_MS = 100;

let options: ClusterSmokeOptions;
try {
  options = parseClusterSmokeOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`cluster-smoke: ${errorText(error)}\n\n${CLUSTER_USAGE}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${CLUSTER_USAGE}\n`);
  process.exit(0);
}

const session = new SmokeSession({
  title: 'cluster smoke test',
  project: options.project,
  files: FILES,
  root: ROOT,
  timeoutMs: options.timeoutMs,
  healthTimeoutMs: options.healthTimeoutMs,
});
const step = session.step.bind(session);
const compose = (...args: string[]) => session.composeCmd(...args);

/** Runs `lookup` until it answers without throwing and `ready` holds; a lookup that fails (a node gone, an election) is retried. */
function pollOps<T>(what: string, lookup: () => Promise<T>, ready: (value: T) => boolean, timeoutMs = options.healthTimeoutMs) {
  let last = 'no answer yet';
  return session
    .poll(what, timeoutMs, async () => {
      try {
        const value = await lookup();
        if (ready(value)) return value;
        last = JSON.stringify(value).slice(0, 300);
      } catch (error) {
        last = errorText(error);
      }
      return undefined;
    })
    .catch((error: unknown) => {
      throw error instanceof Failure ? new Failure(`${error.message}; last: ${last}`) : error;
    });
}

async function pickPorts(): Promise<{ coordinator: number; nats: number[] }> {
  let coordinator = options.port;
  if (coordinator === 0) coordinator = await freePort();
  else if (await portInUse(coordinator)) throw new Failure(`127.0.0.1:${coordinator} is in use: pass --port N (0: any free port)`);
  const nats: number[] = [];
  while (nats.length < 3) {
    const port = await freePort();
    if (port !== coordinator && !nats.includes(port)) nats.push(port);
  }
  return { coordinator, nats };
}

async function prepare(): Promise<{ coordinator: number; nats: number[] }> {
  await step('docker engine', async () => {
    const result = await session.must(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 30_000 });
    return { value: undefined, detail: `server ${result.stdout.trim()}` };
  });
  const ports = await step('compose command and host ports', async () => {
    const probe = async (argv: readonly string[]) => {
      const result = await session.run(argv, { timeoutMs: 30_000 });
      return { ok: result.code === 0, output: result.output };
    };
    session.compose = await detectCompose(probe, options.compose);
    const picked = await pickPorts();
    const [n1 = 0, n2 = 0, n3 = 0] = picked.nats;
    session.env = {
      ...composeEnvironment(process.env, { coordinatorPort: picked.coordinator, natsPort: n1 }).env,
      NATS_PORT_2: String(n2),
      NATS_PORT_3: String(n3),
    };
    const where = `coordinator 127.0.0.1:${picked.coordinator}, NATS n1 :${n1}, n2 :${n2}, n3 :${n3}`;
    return { value: picked, detail: `${session.compose.words.join(' ')} (${session.compose.version}); ${where}` };
  });
  session.services = await step(`compose files ${FILES.join(' + ')}`, async () => {
    const result = await session.must(compose('config', '--services'), { timeoutMs: 60_000 });
    const names = systemServices(result.stdout);
    const missing = [...NODE_SERVICES, ...APP_SERVICES].filter((name) => !names.includes(name));
    if (missing.length > 0) throw new Failure(`services ${names.join(', ')} lack ${missing.join(', ')}`);
    return { value: names, detail: `services ${names.join(', ')}` };
  });
  return ports;
}

/** The documented command: Compose v2 waits for healthy containers itself (--wait); v1 has no such flag. Either way waitHealthy checks after it. */
const upWait = () => (session.compose?.words.join(' ') === 'docker compose' ? ['--wait'] : []);

async function upBuild(): Promise<void> {
  await step(
    `up --build -d ${upWait().join(' ')}`.trim(),
    async () => {
      session.touched = true;
      const began = performance.now();
      let last = '';
      // Builds take minutes on a busy host: say what is going on now and then.
      const heartbeat = setInterval(
        () => session.detail(`still going (${seconds(performance.now() - began)}): ${last.slice(0, 110)}`),
        30_000,
      );
      try {
        await session.must(compose('up', '--build', '-d', ...upWait()), {
          timeoutMs: options.healthTimeoutMs + 1_200_000,
          onLine: (line) => {
            if (/^(#\d+ \[|\s*Container )/.test(line.trim())) last = line.trim();
          },
        });
      } finally {
        clearInterval(heartbeat);
      }
      return { value: undefined };
    },
    true,
  );
  const one = Object.fromEntries(session.services.map((service) => [service, 1]));
  await step('wait until healthy', () => session.waitHealthy(one), true);
}

/** The queue stream, the events stream and the readers' consumer, as ops sees them. */
async function replicaViews(ops: OpsView): Promise<ReplicaView[]> {
  return [await ops.stream(QUEUE_STREAM), await ops.stream(EVENTS_STREAM), await ops.consumer(QUEUE_STREAM, READER_CONSUMER)];
}
const allCurrent = (views: readonly ReplicaView[], down?: string) =>
  views.every((view) => judgeReplicas(view, REPLICAS, down).problems.length === 0);
const summaries = (views: readonly ReplicaView[], down?: string) =>
  views.map((view) => judgeReplicas(view, REPLICAS, down).summary).join('; ');

async function post(port: number, body: QueueRunRequest): Promise<{ status: number; body: unknown }> {
  const { api } = createCoordinatorClient({ baseUrl: `http://127.0.0.1:${port}` });
  const signal = AbortSignal.any([session.stopping.signal, AbortSignal.timeout(options.healthTimeoutMs + 120_000)]);
  const { data, error, response } = await api.POST('/queue-runs', { body, signal });
  return { status: response.status, body: data ?? error };
}

interface Loss {
  killed: string;
  container: string;
  newLeader: string;
  reconnected: string[];
  run: QueueAnswerCheck;
}

/** The node leading the queue stream, its container, and the services connected to it (its /connz). */
async function leaderTarget(ops: OpsView): Promise<{ leader: string; service: string; id: string; connected: string[] }> {
  const leader = (await ops.stream(QUEUE_STREAM)).leader;
  if (!leader) throw new Failure(`${QUEUE_STREAM} has no leader`);
  const service = serviceOfNode(leader);
  const connz = await session.must(compose('exec', '-T', service, 'wget', '-qO-', 'http://127.0.0.1:8222/connz?limit=1024'), {
    timeoutMs: 30_000,
  });
  return { leader, service, id: await session.containerOf(service), connected: servicesConnected(connz.stdout, APP_SERVICES) };
}

/** Starts a queue run, kills its stream's leader once items flow, and waits for a new leader and for the run's answer. */
async function killTheLeaderMidRun(ops: OpsView, coordinatorPort: number): Promise<Loss> {
  const items = Array.from({ length: options.items }, (_, index) => `item-${index + 1}`);
  const request: QueueRunRequest = { items, writeDelayMs: ITEM_DELAY_MS, readDelayMs: ITEM_DELAY_MS, readerStart: 'concurrent' };
  // Looked up before the run: on a busy host `exec` takes seconds, which the kill must not wait for.
  let target = await step(`the ${QUEUE_STREAM} leader, and who is connected to it`, async () => {
    const found = await leaderTarget(ops);
    return {
      value: found,
      detail: `${found.leader} (service ${found.service}); ${found.connected.join(', ') || 'no service'} connected to it`,
    };
  });
  const baseline = (await ops.stream(QUEUE_STREAM)).lastSeq;
  let answered = false;
  const answer = post(coordinatorPort, request).finally(() => (answered = true));
  answer.catch(() => undefined); // awaited below; a rejection before then must not count as unhandled
  await step(`POST /queue-runs: ${options.items} items, ${ITEM_DELAY_MS} ms to write and to read each, readers concurrent`, async () => {
    const flowing = await pollOps(
      'a quarter of the items written',
      () => ops.stream(QUEUE_STREAM),
      (view) => view.lastSeq - baseline >= items.length / 4,
      60_000,
    );
    return { value: undefined, detail: `${flowing.lastSeq - baseline} items written so far` };
  });
  const { killed, container, reconnected } = await step(`docker kill the ${QUEUE_STREAM} leader`, async () => {
    let now = await ops.stream(QUEUE_STREAM);
    if (now.leader !== target.leader) {
      target = await leaderTarget(ops); // moved by itself since: the kill is for whoever leads now
      now = await ops.stream(QUEUE_STREAM);
    }
    if (answered) throw new Failure(`the run was over before the kill: raise --items`);
    await session.must(['docker', 'kill', target.id], { timeoutMs: 30_000 });
    return {
      value: { killed: target.leader, container: target.id, reconnected: target.connected },
      detail: `${target.leader} (service ${target.service}) killed with ${now.lastSeq - baseline}/${items.length} items written`,
    };
  });
  const newLeader = await step(`a new ${QUEUE_STREAM} leader`, async () => {
    const view = await pollOps(
      'another node leads',
      () => ops.stream(QUEUE_STREAM),
      (next) => next.leader !== undefined && next.leader !== killed,
      60_000,
    );
    return { value: view.leader ?? '', detail: judgeReplicas(view, REPLICAS, killed).summary };
  });
  const run = await step('the queue run completes: every item read once, none counted twice', async () => {
    const { status, body } = await answer;
    const check = checkQueueAnswer(status, body, items);
    if (check.problems.length > 0) throw new Failure(`${check.problems.join('; ')} [${check.summary}]`);
    const again = typeof body === 'object' && body !== null && 'readAgain' in body ? String(body.readAgain) : '?';
    return { value: check, detail: `${check.summary}; ${again} redelivered and counted once; run ${check.runId ?? '?'}` };
  });
  return { killed, container, newLeader, reconnected, run };
}

/** `docker start`s the killed node and waits until its copies of both streams and the consumer are current again. */
async function bringItBack(ops: OpsView, loss: Loss): Promise<void> {
  await step(`docker start ${loss.killed}: its copies current again`, async () => {
    await session.must(['docker', 'start', loss.container], { timeoutMs: 60_000 });
    const views = await pollOps(
      `${loss.killed}'s copies current`,
      () => replicaViews(ops),
      (next) => allCurrent(next),
    );
    return { value: undefined, detail: summaries(views) };
  });
  const one = Object.fromEntries(session.services.map((service) => [service, 1]));
  await step('wait until healthy', () => session.waitHealthy(one), true);
}

async function logsTellTheLoss(loss: Loss): Promise<void> {
  await step('logs: the takeover, the restart, the services reconnecting, the run in each service', async () => {
    const logsOf = async (service: string) => (await session.must(compose('logs', '--no-color', service), { timeoutMs: 60_000 })).stdout;
    const verdict = checkNodeLossLogs({
      stream: QUEUE_STREAM,
      newLeader: { server: loss.newLeader, logs: await logsOf(serviceOfNode(loss.newLeader)) },
      restarted: { server: loss.killed, logs: await logsOf(serviceOfNode(loss.killed)) },
      reconnected: await Promise.all(loss.reconnected.map(async (service) => ({ service, logs: await logsOf(service) }))),
    });
    const problems = [...verdict.problems];
    for (const service of APP_SERVICES) {
      if (!(await logsOf(service)).includes(loss.run.runId ?? '-')) problems.push(`${service} does not log run ${loss.run.runId ?? '?'}`);
    }
    if (problems.length > 0) throw new Failure(problems.join('; '));
    return { value: undefined, detail: verdict.summary };
  });
}

async function smoke(): Promise<void> {
  const ports = await prepare();
  await upBuild();
  const { NATS_USER: user = '', NATS_PASSWORD: pass = '' } = deployEnvironment(ROOT, 'ops');
  const ops = await openOpsView(ports.nats, { user, pass });
  try {
    await step(`ops user: ${QUEUE_STREAM}, ${EVENTS_STREAM} and ${READER_CONSUMER} on R${REPLICAS}, every copy current`, async () => {
      const views = await pollOps(
        'every copy current',
        () => replicaViews(ops),
        (next) => allCurrent(next),
        60_000,
      );
      return { value: undefined, detail: summaries(views) };
    });
    const loss = await killTheLeaderMidRun(ops, ports.coordinator);
    await bringItBack(ops, loss);
    await logsTellTheLoss(loss);
  } finally {
    await ops.close().catch(() => undefined);
  }
}

session.say(`cluster smoke test: project ${options.project}, files ${FILES.join(' + ')}, timeout ${seconds(options.timeoutMs)}`);
await session.main(smoke);
