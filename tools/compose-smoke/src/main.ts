/**
 * `npm run smoke:compose`: docker-compose.yml run for real, the way a person
 * would, under a throw-away project name, and always torn down. One line per
 * step with its time; on a failure the last log lines of every service.
 * Exit codes: 0 passed, 1 failed, 2 bad usage, 130 interrupted.
 */
import { createCoordinatorClient, type QueueRunRequest, type SimulationRequest } from '@concurrency-lab/api-client';
import { deployEnvironment } from '@concurrency-lab/config';
import { freePort, portInUse } from '@concurrency-lab/local-system';
import { fileURLToPath } from 'node:url';
import { checkDistributedAnswer, checkLessonQueueRun, checkLessonSimulation, checkQueueAnswer, type AnswerCheck } from './answers.js';
import { checkBuildOutput } from './build-output.js';
import { composeArgv, composeEnvironment, detectCompose, OBSERVABILITY_PROFILE, systemServices, type ComposeCommand } from './compose.js';
import { describeExit, exec, type ExecResult } from './exec.js';
import { judgeHealth, parseInspect } from './health.js';
import { checkImageContents, LIST_NODE_MODULES } from './image-contents.js';
import { checkPrettyLogs, checkServiceLogs, failedBlockLines, parseComposeLogs, runStory, tailLines, type ExpectedRun } from './logs.js';
import { describeConsumers, opsLookups } from './ops-user.js';
import { parseSmokeOptions, USAGE, type SmokeOptions } from './options.js';
import { judgeTargets, parseQueryVector, parseTargets, type QuerySample, type TargetsVerdict } from './prometheus.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ITEMS = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
/** After scaling: written at once, so that the readers share the items. */
const SCALED_QUEUE_RUN: QueueRunRequest = { items: [...ITEMS], writeDelayMs: 0, readDelayMs: 300 };
const PRETTY_PROCESSES_RUN: SimulationRequest = { mode: 'processes', count: 2, minMs: 100, maxMs: 100 };
/** Downloader containers after scaling: each a host of its own. */
const DOWNLOADERS = 4;
/** The lesson's downloads, a few more of them, scaled down: enough that the downloaders' open pulls spread them over containers. */
const DISTRIBUTED_RUN: SimulationRequest = { mode: 'distributed', count: 8, minMs: 5_000, maxMs: 10_000, scale: 0.1 };
type RunRequest<Path> = Path extends '/simulations' ? SimulationRequest : QueueRunRequest;
/** The lesson's comparison answers within the coordinator's default wait (about 30 s of downloads at most), its queue run in about 15 s. */
const HTTP_TIMEOUT_MS = 90_000;
const TEARDOWN_TIMEOUT_MS = 120_000;
/** Prometheus finds a new replica within a DNS refresh and scrapes it within a scrape interval (5 s each in deploy/prometheus): generous for a loaded host. */
const TARGETS_TIMEOUT_MS = 90_000;
/** The histogram's sample reaches Prometheus at its next scrape of the coordinator. */
const QUERY_TIMEOUT_MS = 30_000;
const LOG_TAIL = 40;
/** The image tag the Nx docker-build targets use; the tested images keep it, so the next build reuses their layers. */
const imageTag = (service: string) => `concurrency-lab/${service}`;

class Failure extends Error {}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

let options: SmokeOptions;
try {
  options = parseSmokeOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`compose-smoke: ${errorText(error)}\n\n${USAGE}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const startedAt = performance.now();
const elapsed = () => performance.now() - startedAt;
const say = (line: string) => process.stdout.write(`[${seconds(elapsed()).padStart(7)}] ${line}\n`);
const detail = (line: string) => process.stdout.write(`          ${line}\n`);

// Aborted by the overall timeout, Ctrl-C or SIGTERM: the command or request under way is stopped, then the teardown runs.
const stopping = new AbortController();
let interrupts = 0;
let tearingDown = false;
const onSignal = (signal: NodeJS.Signals) => {
  interrupts += 1;
  if (interrupts === 1) {
    say(`${signal}: stopping, then tearing down (${signal === 'SIGINT' ? 'Ctrl-C' : signal} twice more to exit without tearing down)`);
    stopping.abort(new Error(`interrupted by ${signal}`));
  } else if (interrupts === 2) {
    say(tearingDown ? 'still tearing down; once more to exit now and leave the project behind' : 'stopping; once more to exit now');
  } else {
    say(
      `exiting without tearing down; remove what is left with: ${(compose?.words ?? options.compose ?? ['docker-compose']).join(' ')} -p ${options.project} down -v --remove-orphans`,
    );
    process.exit(130);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const deadline = setTimeout(
  () => stopping.abort(new Error(`the smoke test took longer than its ${seconds(options.timeoutMs)} timeout`)),
  options.timeoutMs,
);
deadline.unref();

let env: Record<string, string | undefined> = { ...process.env };
let compose: ComposeCommand | undefined;
let services: string[] = [];
let lastHealth = '';
/** Set once the first command that makes something of the project (images, containers) starts: from then on it is torn down. */
let touched = false;

const run = (argv: readonly string[], more: { timeoutMs?: number; onLine?: (line: string) => void; signal?: AbortSignal } = {}) =>
  exec(argv, {
    cwd: ROOT,
    env,
    signal: more.signal ?? stopping.signal,
    ...(more.timeoutMs === undefined ? {} : { timeoutMs: more.timeoutMs }),
    ...(more.onLine ? { onLine: more.onLine } : {}),
  });

/** Runs a command that must succeed; its output goes into the error when it does not. */
async function must(argv: readonly string[], more: Parameters<typeof run>[1] = {}): Promise<ExecResult> {
  const result = await run(argv, more);
  if (result.code !== 0 || result.stopped) {
    throw new Failure(
      `${describeExit(argv, result)}\n${tailLines(result.output, 30)
        .map((line) => `    ${line}`)
        .join('\n')}`,
    );
  }
  return result;
}

const composeCmd = (...args: string[]) => {
  if (!compose) throw new Error('compose command not detected yet');
  return composeArgv(compose, options.project, args);
};

/** One step: its line says ok or FAIL, what it found and how long it took. */
async function step<T>(name: string, body: () => Promise<{ value: T; detail?: string }>, announce = false): Promise<T> {
  if (stopping.signal.aborted) throw stopping.signal.reason;
  if (announce) say(`...  ${name}`);
  const began = performance.now();
  try {
    const { value, detail: what } = await body();
    say(`ok   ${name}${what ? `: ${what}` : ''} (${seconds(performance.now() - began)})`);
    return value;
  } catch (error) {
    const reason = stopping.signal.aborted ? errorText(stopping.signal.reason) : errorText(error);
    say(`FAIL ${name} (${seconds(performance.now() - began)}): ${reason}`);
    throw new Failure(`${name}: ${reason.split('\n')[0]}`);
  }
}

/** The host port to publish on: any free one for 0, else the one asked for unless something listens there (the harness's one port check). */
async function portIsFree(port: number): Promise<number | undefined> {
  if (port === 0) return freePort();
  return (await portInUse(port)) ? undefined : port;
}

async function projectContainers(): Promise<string[]> {
  const result = await must(['docker', 'ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${options.project}`], {
    timeoutMs: 30_000,
  });
  return result.stdout
    .split('\n')
    .map((id) => id.trim())
    .filter(Boolean);
}

/** Polls `docker inspect` until every expected container is healthy, a container fails, or the bound passes. */
async function waitHealthy(expected: Record<string, number>): Promise<{ value: undefined; detail: string }> {
  const began = performance.now();
  let shown = '';
  let shownAt = 0;
  for (;;) {
    const ids = await projectContainers();
    // A container removed between `docker ps` and `docker inspect` fails the inspect: look again next round.
    const inspected = ids.length === 0 ? undefined : await run(['docker', 'inspect', ...ids], { timeoutMs: 30_000 });
    if (stopping.signal.aborted) throw stopping.signal.reason;
    const containers = inspected?.code === 0 ? parseInspect(inspected.stdout, options.project) : [];
    const verdict = judgeHealth(containers, expected);
    lastHealth = verdict.summary;
    if (verdict.failure) throw new Failure(`${verdict.failure} (${verdict.summary})`);
    const count = Object.values(expected).reduce((sum, n) => sum + n, 0);
    if (verdict.ready) return { value: undefined, detail: `all ${count} containers healthy (${verdict.summary})` };
    const waited = performance.now() - began;
    if (waited > options.healthTimeoutMs) throw new Failure(`not healthy after ${seconds(options.healthTimeoutMs)}: ${verdict.summary}`);
    if (verdict.summary !== shown || performance.now() - shownAt > 10_000) {
      detail(`${seconds(waited)}: ${verdict.summary}`);
      shown = verdict.summary;
      shownAt = performance.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (stopping.signal.aborted) throw stopping.signal.reason;
  }
}

/**
 * POST a run through the typed API client, with a JSON body or with none at
 * all (as `curl -X POST` sends it) when body is undefined. The status and the
 * body come back as they were, success or problem: the answer checks judge
 * them field by field.
 */
async function post<Path extends '/simulations' | '/queue-runs'>(
  path: Path,
  body?: RunRequest<Path>,
): Promise<{ status: number; body: unknown }> {
  const url = `http://127.0.0.1:${options.port}${path}`;
  const { api } = createCoordinatorClient({ baseUrl: `http://127.0.0.1:${options.port}` });
  const init = { signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(HTTP_TIMEOUT_MS)]) };
  try {
    const { data, error, response } =
      path === '/simulations'
        ? await api.POST('/simulations', { ...init, body: body as RunRequest<'/simulations'> })
        : await api.POST('/queue-runs', { ...init, body: body as RunRequest<'/queue-runs'> });
    return { status: response.status, body: data ?? error };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    throw new Failure(`POST ${url}: ${errorText(error)}${cause}`);
  }
}

function verdictOf<T extends AnswerCheck>(check: T): { value: T; detail: string } {
  if (check.problems.length > 0) throw new Failure(`${check.problems.join('; ')} [${check.summary}]`);
  return { value: check, detail: `${check.summary}, run ${check.runId ?? '?'}` };
}

async function printLastLogs(): Promise<void> {
  if (!compose || !touched) return;
  say(`last ${LOG_TAIL} log lines of each service${lastHealth ? ` (last seen: ${lastHealth})` : ''}:`);
  for (const service of services) {
    const result = await run(composeCmd('logs', '--no-color', '--tail', String(LOG_TAIL), service), {
      timeoutMs: 30_000,
      signal: new AbortController().signal,
    });
    detail(`--- ${service}`);
    for (const line of tailLines(result.output, LOG_TAIL + 5)) if (!line.startsWith('Attaching to ')) detail(`  ${line}`);
  }
}

/**
 * Stops and removes the project's containers, network and volumes. The
 * images built under the project's name are tagged concurrency-lab/<service>
 * first (as `nx run-many -t docker-build` tags them) and the project's tags
 * removed, so no tags pile up run after run while the layers stay cached.
 */
async function teardown(): Promise<boolean> {
  if (!compose || !touched) return true;
  tearingDown = true;
  const began = performance.now();
  const own = new AbortController();
  const bounded = { timeoutMs: TEARDOWN_TIMEOUT_MS, signal: own.signal };
  const down = await run(composeCmd('down', '-v', '--remove-orphans'), bounded);
  const problems: string[] = [];
  if (down.code !== 0 || down.stopped)
    problems.push(`${describeExit(composeCmd('down', '-v', '--remove-orphans'), down)}: ${tailLines(down.output, 5).join(' / ')}`);
  const retagged: string[] = [];
  for (const service of services) {
    for (const name of [`${options.project}_${service}`, `${options.project}-${service}`]) {
      if ((await run(['docker', 'image', 'inspect', name], bounded)).code !== 0) continue;
      const tagged = await run(['docker', 'tag', name, imageTag(service)], bounded);
      if (tagged.code === 0) retagged.push(imageTag(service));
      await run(['docker', 'rmi', name], bounded);
    }
  }
  const label = `label=com.docker.compose.project=${options.project}`;
  for (const kind of ['container', 'volume', 'network'] as const) {
    const listed = await run(
      kind === 'container' ? ['docker', 'ps', '-a', '-q', '--filter', label] : ['docker', kind, 'ls', '-q', '--filter', label],
      bounded,
    );
    const left = listed.stdout.split('\n').filter((line) => line.trim() !== '');
    if (left.length > 0) problems.push(`${left.length} ${kind}(s) of the project left`);
  }
  const what = `down -v --remove-orphans${retagged.length > 0 ? `; images kept as ${retagged.join(', ')}` : ''}`;
  if (problems.length > 0) {
    say(`FAIL teardown (${seconds(performance.now() - began)}): ${problems.join('; ')}`);
    return false;
  }
  say(`ok   teardown: ${what}; nothing of the project left (${seconds(performance.now() - began)})`);
  return true;
}

async function prepare(): Promise<void> {
  await step('docker engine', async () => {
    const result = await must(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 30_000 });
    return { value: undefined, detail: `server ${result.stdout.trim()}` };
  });
  compose = await step('compose command', async () => {
    const probe = async (argv: readonly string[]) => {
      const result = await run(argv, { timeoutMs: 30_000 });
      return { ok: result.code === 0, output: result.output };
    };
    const found = await detectCompose(probe, options.compose);
    const buildx = await run(['docker', 'buildx', 'version'], { timeoutMs: 30_000 });
    const prepared = composeEnvironment(process.env, { coordinatorPort: options.port, natsPort: options.natsPort });
    env = prepared.env;
    const builder =
      buildx.code === 0 ? `BuildKit through buildx ${buildx.stdout.trim().split(/\s+/)[1] ?? ''}` : 'BuildKit (no buildx plugin)';
    return {
      value: found,
      detail: `${found.words.join(' ')} (${found.version}); ${builder}${prepared.notes.length > 0 ? `; ${prepared.notes.join('; ')}` : ''}`,
    };
  });
  await step('host ports', async () => {
    const coordinator = await portIsFree(options.port);
    if (coordinator === undefined)
      throw new Failure(
        `127.0.0.1:${options.port} is in use (npm start, or another compose project?): stop it or pass --port N (0: any free port)`,
      );
    const nats = await portIsFree(options.natsPort);
    if (nats === undefined) throw new Failure(`127.0.0.1:${options.natsPort} is in use: pass --nats-port N (0: any free port)`);
    const prometheus = await portIsFree(options.prometheusPort);
    if (prometheus === undefined)
      throw new Failure(`127.0.0.1:${options.prometheusPort} is in use: pass --prometheus-port N (0: any free port)`);
    options.port = coordinator;
    options.natsPort = nats;
    options.prometheusPort = prometheus;
    env = { ...env, COORDINATOR_PORT: String(coordinator), NATS_PORT: String(nats), PROMETHEUS_PORT: String(prometheus) };
    return {
      value: undefined,
      detail: `coordinator 127.0.0.1:${coordinator}, NATS 127.0.0.1:${nats}, Prometheus 127.0.0.1:${prometheus}`,
    };
  });
  services = await step('compose file', async () => {
    const result = await must(composeCmd('config', '--services'), { timeoutMs: 60_000 });
    const names = systemServices(result.stdout);
    if (!names.includes('coordinator') || !names.includes('reader') || !names.includes('writer'))
      throw new Failure(`services ${names.join(', ')} lack coordinator, writer or reader`);
    return { value: names, detail: `services ${names.join(', ')}` };
  });
}

/** Compose v2 waits for healthy containers itself (--wait); v1 has no such flag. Either way waitHealthy checks after it. */
const upWait = () => (compose?.words[0] === 'docker' && compose.words[1] === 'compose' ? ['--wait'] : []);

/** The README's `docker compose up --build`: BuildKit builds the images, quietly, and everything starts. */
async function upBuild(): Promise<void> {
  await step(
    `up --build -d ${upWait().join(' ')}`.trim(),
    async () => {
      const began = performance.now();
      let last = '';
      touched = true;
      const heartbeat = setInterval(() => detail(`still going (${seconds(performance.now() - began)}): ${last.slice(0, 110)}`), 15_000);
      let result: ExecResult;
      try {
        result = await must(composeCmd('up', '--build', '-d', ...upWait()), {
          timeoutMs: options.healthTimeoutMs + 1_200_000,
          onLine: (line) => {
            if (/^(#\d+ \[|Step \d+\/\d+|\s*Container )/.test(line.trim())) last = line.trim();
          },
        });
      } finally {
        clearInterval(heartbeat);
      }
      const build = checkBuildOutput(result.output);
      if (!build.buildkit) throw new Failure('the images were not built by BuildKit (classic builder output)');
      if (build.noise.length > 0) throw new Failure(`npm was not quiet in the image build: ${build.noise.slice(0, 3).join(' | ')}`);
      return { value: undefined, detail: `BuildKit, ${build.ran} steps run, ${build.cached} from cache, no npm warnings` };
    },
    true,
  );
}

/** Each image carries its own service's production dependencies only, listed in its running container (`exec -T`, as in a script). */
async function imageContents(): Promise<void> {
  await step('each image: its own production dependencies only', async () => {
    const problems: string[] = [];
    const summaries: string[] = [];
    for (const service of services.filter((name) => name !== 'nats')) {
      const listed = await must(composeCmd('exec', '-T', service, 'node', '-e', LIST_NODE_MODULES), { timeoutMs: 60_000 });
      const check = checkImageContents(service, listed.stdout);
      problems.push(...check.problems);
      summaries.push(check.summary);
    }
    if (problems.length > 0) throw new Failure(problems.join('; '));
    return { value: undefined, detail: summaries.join('; ') };
  });
}

/** Checks that failed without stopping the run: the later steps still tell what works. */
const softFailures: string[] = [];

/**
 * One of the lesson's requests, with no body, at its real timing. A wrong
 * answer is recorded and the smoke goes on (the run id, if any, still serves
 * the log checks); the smoke fails at the end.
 */
async function lessonStep<T extends AnswerCheck>(
  name: string,
  path: '/simulations' | '/queue-runs',
  check: (status: number, body: unknown) => T,
): Promise<T | undefined> {
  let checked: T | undefined;
  try {
    await step(
      name,
      async () => {
        const answer = await post(path);
        checked = check(answer.status, answer.body);
        return verdictOf(checked);
      },
      true,
    );
  } catch (error) {
    if (!(error instanceof Failure) || stopping.signal.aborted) throw error;
    softFailures.push(error.message);
  }
  return checked;
}

async function lesson(): Promise<{ simulation: AnswerCheck | undefined; queueRun: AnswerCheck | undefined }> {
  const simulation = await lessonStep('POST /simulations (no body: the lesson)', '/simulations', checkLessonSimulation);
  const queueRun = await lessonStep('POST /queue-runs (no body: the lesson)', '/queue-runs', checkLessonQueueRun);
  return { simulation, queueRun };
}

/** `compose logs`: every service logged the runs, and the lesson's queue run reads as a story. */
async function logsTellTheStory(simulation: AnswerCheck | undefined, queueRun: AnswerCheck | undefined): Promise<void> {
  const run1: ExpectedRun[] = queueRun?.runId ? [{ runId: queueRun.runId, what: 'lesson queue run' }] : [];
  const expectedLogs: Record<string, ExpectedRun[]> = {
    coordinator: [...(simulation?.runId ? [{ runId: simulation.runId, what: 'lesson simulation' }] : []), ...run1],
    writer: run1,
    reader: run1,
  };
  await step('logs: run ids in every service, and the queue run told in order', async () => {
    const problems: string[] = [];
    for (const [service, expected] of Object.entries(expectedLogs)) {
      const logs = await must(composeCmd('logs', '--no-color', service), { timeoutMs: 60_000 });
      const check = checkServiceLogs(service, logs.stdout, expected);
      problems.push(...check.problems);
      detail(check.summary);
    }
    const all = await must(composeCmd('logs', '--no-color'), { timeoutMs: 60_000 });
    const story = runStory(parseComposeLogs(all.stdout), queueRun?.runId ?? '');
    detail(`the lesson's queue run in \`compose logs\` (${story.length} lines):`);
    for (const line of story.slice(0, 20)) detail(`  ${line}`);
    if (queueRun?.runId && story.length < 3) problems.push(`the queue run's story has ${story.length} lines`);
    if (problems.length > 0) throw new Failure(problems.join('; '));
    return { value: undefined, detail: 'coordinator: the simulation and the queue run; writer and reader: the queue run' };
  });
}

/** The read-only ops user through NATS's published port (what `nats stream ls`, `nats consumer report` ask), and monitoring by `exec -T`. */
async function opsView(): Promise<void> {
  await step('ops NATS user: stream ls, consumer report; purge refused', async () => {
    const { NATS_USER: user = '', NATS_PASSWORD: pass = '' } = deployEnvironment(ROOT, 'ops');
    const seen = await opsLookups(`nats://127.0.0.1:${options.natsPort}`, { user, pass });
    if (!seen.streams.includes('LAB_QUEUE') || !seen.streams.includes('LAB_EVENTS'))
      throw new Failure(`streams ${seen.streams.join(', ')}`);
    if (!seen.purgeRefused) throw new Failure('the ops user could purge a stream');
    const jsz = await must(composeCmd('exec', '-T', 'nats', 'wget', '-qO-', 'http://127.0.0.1:8222/jsz'), { timeoutMs: 60_000 });
    const streams = (JSON.parse(jsz.stdout) as { streams?: number }).streams;
    return {
      value: undefined,
      detail: `streams ${seen.streams.join(', ')}; ${describeConsumers(seen.consumers)}; /jsz: ${String(streams)} streams`,
    };
  });
}

/**
 * The docs' shell blocks marked `runs-in: <tag>` (compose-smoke; and
 * compose-smoke-observability once the profile's Prometheus is up), run in
 * order by tools/docs-check against this project (its name, its ports). A
 * failure is recorded and the smoke goes on; it fails at the end.
 */
async function docsBlocks(tag: string): Promise<void> {
  const tool = `${ROOT}tools/docs-check/dist/main.js`;
  try {
    await step(
      `docs: the shell blocks marked runs-in: ${tag}`,
      async () => {
        const result = await run(
          [
            process.execPath,
            tool,
            'run',
            '--tag',
            tag,
            '--env',
            `COMPOSE_PROJECT_NAME=${options.project}`,
            '--env',
            `NATS_PORT=${options.natsPort}`,
            '--replace',
            `127.0.0.1:3000=127.0.0.1:${options.port}`,
            '--replace',
            `127.0.0.1:9090=127.0.0.1:${options.prometheusPort}`,
            // A block's `docker compose up --build` rebuilds four images from cache: past docs-check's 2 min on a loaded host.
            '--timeout-ms',
            '300000',
          ],
          { timeoutMs: 900_000 },
        );
        const summary = tailLines(result.stdout, 1)[0] ?? '';
        if (result.code !== 0 || result.stopped) {
          for (const line of failedBlockLines(result.stdout)) detail(line);
          throw new Failure(`${describeExit(['docs-check', 'run'], result)}: ${summary}`);
        }
        return { value: undefined, detail: summary };
      },
      true,
    );
  } catch (error) {
    if (!(error instanceof Failure) || stopping.signal.aborted) throw error;
    softFailures.push(error.message);
  }
}

/** LOG_FORMAT=pretty and more readers: compose recreates the three services; a queue run shares the items; the logs read as text. */
async function prettyAndScaled(): Promise<void> {
  await step(`LOG_FORMAT=pretty up -d --scale reader=${options.readers} --scale downloader=${DOWNLOADERS}`, async () => {
    env = { ...env, LOG_FORMAT: 'pretty' };
    const scale = ['--scale', `reader=${options.readers}`, '--scale', `downloader=${DOWNLOADERS}`];
    await must(composeCmd('up', '-d', '--no-build', ...scale, ...upWait()), {
      timeoutMs: options.healthTimeoutMs + 60_000,
    });
    return { value: undefined };
  });
  const one = Object.fromEntries(services.map((service) => [service, 1]));
  await step('wait until healthy', () => waitHealthy({ ...one, reader: options.readers, downloader: DOWNLOADERS }), true);
  await step(`POST /simulations ${JSON.stringify(DISTRIBUTED_RUN)}: at least two hosts`, async () => {
    const answer = await post('/simulations', DISTRIBUTED_RUN);
    const check = verdictOf(checkDistributedAnswer(answer.status, answer.body, 8, 2));
    return { value: undefined, detail: `${check.detail}: ${check.value.downloaders.join(', ')}` };
  });
  const scaled = await step(`POST /queue-runs ${JSON.stringify(SCALED_QUEUE_RUN)}`, async () => {
    const answer = await post('/queue-runs', SCALED_QUEUE_RUN);
    const check = verdictOf(checkQueueAnswer(answer.status, answer.body, ITEMS));
    // Which readers get the items is JetStream's choice: one reader taking them all is not a failure.
    const spread = check.value.readers.length > 1 ? `shared by ${check.value.readers.length} readers` : `note: one reader took every item`;
    return { value: check.value, detail: `${check.detail}; ${spread}` };
  });
  // Task processes write their own lines: they must follow the coordinator's format too.
  await step(`POST /simulations ${JSON.stringify(PRETTY_PROCESSES_RUN)}`, async () => {
    const answer = await post('/simulations', PRETTY_PROCESSES_RUN);
    if (answer.status !== 201) throw new Failure(`expected 201, got ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    return { value: undefined };
  });
  await step('logs with LOG_FORMAT=pretty: readable lines, run id in each service', async () => {
    const problems: string[] = [];
    for (const service of ['coordinator', 'writer', 'reader']) {
      const logs = await must(composeCmd('logs', '--no-color', service), { timeoutMs: 60_000 });
      const lines = parseComposeLogs(logs.stdout);
      problems.push(
        ...checkPrettyLogs(service, lines).problems,
        ...checkServiceLogs(service, logs.stdout, [{ runId: scaled.runId ?? '', what: 'scaled queue run' }]).problems,
      );
      const sample = lines.find((line) => line.text.includes(scaled.runId ?? '-'));
      if (sample) detail(`${sample.container} | ${sample.text.slice(0, 150)}`);
    }
    if (problems.length > 0) throw new Failure(problems.join('; '));
    return { value: undefined };
  });
}

/** A GET of Prometheus's HTTP API through its published port; its errors answer JSON too (400 for a bad query). */
async function prometheusApi(path: string): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${options.prometheusPort}${path}`, {
    signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(10_000)]),
  });
  return response.json();
}

/** Asks `probe` every second until it gives a value; past `timeoutMs` fails with the last reason it gave (or threw). */
async function poll<T>(timeoutMs: number, probe: () => Promise<{ value: T } | { reason: string }>): Promise<T> {
  const began = performance.now();
  for (;;) {
    let reason: string;
    try {
      const answer = await probe();
      if ('value' in answer) return answer.value;
      reason = answer.reason;
    } catch (error) {
      if (stopping.signal.aborted) throw stopping.signal.reason;
      reason = errorText(error);
    }
    if (performance.now() - began > timeoutMs) throw new Failure(`after ${seconds(timeoutMs)}: ${reason}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * `--profile observability up prometheus` beside the scaled system (Jaeger,
 * the profile's other service, has no image here: docs/observability.md), then
 * through Prometheus's API: every replica of every service is a target and up,
 * and the coordinator's request histogram is there after a request.
 */
async function observability(): Promise<void> {
  await step(`--profile ${OBSERVABILITY_PROFILE} up -d prometheus`, async () => {
    await must(composeCmd('--profile', OBSERVABILITY_PROFILE, 'up', '-d', '--no-build', ...upWait(), 'prometheus'), {
      timeoutMs: options.healthTimeoutMs + 60_000,
    });
    return { value: undefined, detail: `Prometheus on 127.0.0.1:${options.prometheusPort}` };
  });
  const expected = { coordinator: 1, writer: 1, reader: options.readers, downloader: DOWNLOADERS, prometheus: 1 };
  await step(
    'Prometheus: every replica of every service found by DNS, scraped and up',
    async () => {
      const verdict = await poll<TargetsVerdict>(TARGETS_TIMEOUT_MS, async () => {
        const now = judgeTargets(parseTargets(await prometheusApi('/api/v1/targets?state=active')), expected);
        return now.ready ? { value: now } : { reason: `not up: ${now.notUp.join('; ')} (${now.summary})` };
      });
      return { value: undefined, detail: verdict.summary };
    },
    true,
  );
  await step('Prometheus: http_request_duration_seconds of the coordinator, route /simulations, after a request', async () => {
    const counted = 'sum by (method, route) (http_request_duration_seconds_count{job="coordinator"})';
    const countsOf = async () => parseQueryVector(await prometheusApi(`/api/v1/query?query=${encodeURIComponent(counted)}`));
    const getsOf = (samples: QuerySample[]) =>
      samples.find((sample) => sample.labels['route'] === '/simulations' && sample.labels['method'] === 'GET')?.value ?? 0;
    const before = getsOf(await countsOf());
    const listed = await fetch(`http://127.0.0.1:${options.port}/simulations`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    if (listed.status !== 200) throw new Failure(`GET /simulations answered ${listed.status}`);
    await listed.arrayBuffer();
    const samples = await poll<QuerySample[]>(QUERY_TIMEOUT_MS, async () => {
      const now = await countsOf();
      return getsOf(now) > before ? { value: now } : { reason: `${counted}: GET /simulations still counted ${getsOf(now)}` };
    });
    const routes = samples.map((sample) => `${sample.labels['method']} ${sample.labels['route']} ${sample.value}`);
    // Route templates, never raw paths: the docs' requests for a run's timeline asked for its id.
    const raw = routes.filter((route) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(route));
    if (raw.length > 0) throw new Failure(`raw paths as route labels: ${raw.join(', ')}`);
    return { value: undefined, detail: routes.sort().join('; ') };
  });
}

async function smoke(): Promise<void> {
  await prepare();
  await upBuild();
  const one = Object.fromEntries(services.map((service) => [service, 1]));
  await step('wait until healthy', () => waitHealthy(one), true);
  await imageContents();
  const { simulation, queueRun } = await lesson();
  await logsTellTheStory(simulation, queueRun);
  await opsView();
  await docsBlocks('compose-smoke');
  await prettyAndScaled();
  await observability();
  await docsBlocks('compose-smoke-observability');
  if (softFailures.length > 0) throw new Failure(softFailures.join('; '));
}

say(
  `compose smoke test: project ${options.project}, coordinator on 127.0.0.1:${options.port || '(a free port)'}, NATS on 127.0.0.1:${options.natsPort || '(a free port)'}, timeout ${seconds(options.timeoutMs)}`,
);
let failure: string | undefined;
try {
  await smoke();
} catch (error) {
  failure = stopping.signal.aborted ? errorText(stopping.signal.reason) : errorText(error);
  if (!(error instanceof Failure) && !stopping.signal.aborted) say(`FAIL ${failure}`);
  if (interrupts === 0) {
    try {
      await printLastLogs();
    } catch (logError) {
      say(`could not read the logs: ${errorText(logError)}`);
    }
  }
}
const clean = await teardown();
clearTimeout(deadline);
if (failure === undefined && clean) {
  say(`compose smoke test passed in ${seconds(elapsed())}`);
  process.exit(0);
}
say(`compose smoke test FAILED after ${seconds(elapsed())}: ${failure ?? 'the teardown left part of the project behind'}`);
process.exit(interrupts > 0 ? 130 : 1);
