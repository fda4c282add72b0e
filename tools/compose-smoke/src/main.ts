/**
 * `npm run smoke:compose`: docker-compose.yml run for real, the way a person
 * would, under a throw-away project name, and always torn down. One line per
 * step with its time; on a failure the last log lines of every service.
 * Exit codes: 0 passed, 1 failed, 2 bad usage, 130 interrupted.
 */
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { checkQueueAnswer, checkSimulationAnswer, type AnswerCheck } from './answers.js';
import { composeArgv, composeEnvironment, detectCompose, type ComposeCommand } from './compose.js';
import { describeExit, exec, type ExecResult } from './exec.js';
import { judgeHealth, parseInspect } from './health.js';
import { checkServiceLogs, tailLines, type ExpectedRun } from './logs.js';
import { parseSmokeOptions, USAGE, type SmokeOptions } from './options.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SIMULATION = { mode: 'compare', count: 3, minMs: 100, maxMs: 200 } as const;
const ITEMS = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
/** The first queue run at a tenth of the lesson's delays; the second writes at once so that the readers share the items. */
const QUEUE_RUN = { items: ITEMS, scale: 0.1 };
const SCALED_QUEUE_RUN = { items: ITEMS, writeDelayMs: 0, readDelayMs: 300 };
const HTTP_TIMEOUT_MS = 90_000;
const TEARDOWN_TIMEOUT_MS = 120_000;
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
    say(`exiting without tearing down; remove what is left with: ${(compose?.words ?? options.compose ?? ['docker-compose']).join(' ')} -p ${options.project} down -v --remove-orphans`);
    process.exit(130);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const deadline = setTimeout(() => stopping.abort(new Error(`the smoke test took longer than its ${seconds(options.timeoutMs)} timeout`)), options.timeoutMs);
deadline.unref();

let env: Record<string, string | undefined> = { ...process.env };
let compose: ComposeCommand | undefined;
let services: string[] = [];
let lastHealth = '';
/** Set once the first command that makes something of the project (images, containers) starts: from then on it is torn down. */
let touched = false;

const run = (argv: readonly string[], more: { timeoutMs?: number; onLine?: (line: string) => void; signal?: AbortSignal } = {}) =>
  exec(argv, { cwd: ROOT, env, signal: more.signal ?? stopping.signal, ...(more.timeoutMs === undefined ? {} : { timeoutMs: more.timeoutMs }), ...(more.onLine ? { onLine: more.onLine } : {}) });

/** Runs a command that must succeed; its output goes into the error when it does not. */
async function must(argv: readonly string[], more: Parameters<typeof run>[1] = {}): Promise<ExecResult> {
  const result = await run(argv, more);
  if (result.code !== 0 || result.stopped) {
    throw new Failure(`${describeExit(argv, result)}\n${tailLines(result.output, 30).map((line) => `    ${line}`).join('\n')}`);
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

function portIsFree(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

async function projectContainers(): Promise<string[]> {
  const result = await must(['docker', 'ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${options.project}`], { timeoutMs: 30_000 });
  return result.stdout.split('\n').map((id) => id.trim()).filter(Boolean);
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

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const url = `http://127.0.0.1:${options.port}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(HTTP_TIMEOUT_MS)]),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    throw new Failure(`POST ${url}: ${errorText(error)}${cause}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
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
    const result = await run(composeCmd('logs', '--no-color', '--tail', String(LOG_TAIL), service), { timeoutMs: 30_000, signal: new AbortController().signal });
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
  if (down.code !== 0 || down.stopped) problems.push(`${describeExit(composeCmd('down', '-v', '--remove-orphans'), down)}: ${tailLines(down.output, 5).join(' / ')}`);
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
    const listed = await run(kind === 'container' ? ['docker', 'ps', '-a', '-q', '--filter', label] : ['docker', kind, 'ls', '-q', '--filter', label], bounded);
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

async function smoke(): Promise<void> {
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
    const buildx = (await run(['docker', 'buildx', 'version'], { timeoutMs: 30_000 })).code === 0;
    const prepared = composeEnvironment(process.env, { buildx, port: options.port });
    env = prepared.env;
    const notes = prepared.notes.length > 0 ? `; no BuildKit, so ${prepared.notes.join(' ')}` : '';
    return { value: found, detail: `${found.words.join(' ')} (${found.version})${notes}` };
  });
  await step('coordinator port', async () => {
    const port = await portIsFree(options.port);
    if (port === undefined) throw new Failure(`127.0.0.1:${options.port} is in use (npm start, or another compose project?): stop it or pass --port N (0: any free port)`);
    options.port = port;
    env = { ...env, COORDINATOR_PORT: String(port) };
    return { value: undefined, detail: `127.0.0.1:${port} is free` };
  });
  services = await step('compose file', async () => {
    const result = await must(composeCmd('config', '--services'), { timeoutMs: 60_000 });
    const names = result.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
    if (!names.includes('coordinator') || !names.includes('reader') || !names.includes('writer')) throw new Failure(`services ${names.join(', ')} lack coordinator, writer or reader`);
    return { value: names, detail: `services ${names.join(', ')}` };
  });

  await step(
    'build images',
    async () => {
      const began = performance.now();
      let last = '';
      touched = true;
      const heartbeat = setInterval(() => detail(`still building (${seconds(performance.now() - began)}): ${last.slice(0, 110)}`), 15_000);
      try {
        await must(composeCmd('build'), {
          onLine: (line) => {
            const building = /^Building (\S+)$/.exec(line.trim());
            if (building) detail(`building ${building[1]} (${seconds(performance.now() - began)})`);
            if (/^(Step \d+\/\d+|#\d+ |Building )/.test(line.trim())) last = line.trim();
          },
        });
      } finally {
        clearInterval(heartbeat);
      }
      return { value: undefined };
    },
    true,
  );
  await step('up -d', async () => {
    await must(composeCmd('up', '-d'), { timeoutMs: options.healthTimeoutMs + 60_000 });
    return { value: undefined };
  });
  const one = Object.fromEntries(services.map((service) => [service, 1]));
  await step('wait until healthy', () => waitHealthy(one), true);

  const simulation = await step(`POST /simulations ${JSON.stringify(SIMULATION)}`, async () => {
    const answer = await post('/simulations', SIMULATION);
    return verdictOf(checkSimulationAnswer(answer.status, answer.body, SIMULATION.count));
  });
  const firstRun = await step(`POST /queue-runs ${JSON.stringify(QUEUE_RUN)}`, async () => {
    const answer = await post('/queue-runs', QUEUE_RUN);
    return verdictOf(checkQueueAnswer(answer.status, answer.body, ITEMS));
  });

  await step(`scale reader=${options.readers}`, async () => {
    await must(composeCmd('up', '-d', '--no-build', '--scale', `reader=${options.readers}`), { timeoutMs: options.healthTimeoutMs + 60_000 });
    return { value: undefined };
  });
  await step('wait until healthy', () => waitHealthy({ ...one, reader: options.readers }), true);
  const secondRun = await step(`POST /queue-runs ${JSON.stringify(SCALED_QUEUE_RUN)}`, async () => {
    const answer = await post('/queue-runs', SCALED_QUEUE_RUN);
    const check = verdictOf(checkQueueAnswer(answer.status, answer.body, ITEMS));
    // Which readers get the items is JetStream's choice: one reader taking them all is not a failure.
    const spread = check.value.readers.length > 1 ? `shared by ${check.value.readers.length} readers` : `note: one reader took every item`;
    return { value: check.value, detail: `${check.detail}; ${spread}` };
  });

  const queueRuns: ExpectedRun[] = [
    { runId: firstRun.runId ?? '', what: 'queue run 1' },
    { runId: secondRun.runId ?? '', what: 'queue run 2' },
  ];
  const expectedLogs: Record<string, ExpectedRun[]> = {
    coordinator: [{ runId: simulation.runId ?? '', what: 'simulation' }, ...queueRuns],
    writer: queueRuns,
    reader: queueRuns,
  };
  await step('run ids in the logs', async () => {
    const problems: string[] = [];
    const summaries: string[] = [];
    for (const [service, expected] of Object.entries(expectedLogs)) {
      const logs = await must(composeCmd('logs', '--no-color', service), { timeoutMs: 60_000 });
      const check = checkServiceLogs(service, logs.stdout, expected);
      problems.push(...check.problems);
      summaries.push(check.summary);
    }
    for (const summary of summaries) detail(summary);
    if (problems.length > 0) throw new Failure(problems.join('; '));
    return { value: undefined, detail: 'coordinator: the simulation and both queue runs; writer and readers: both queue runs' };
  });
}

say(`compose smoke test: project ${options.project}, coordinator on 127.0.0.1:${options.port || '(a free port)'}, timeout ${seconds(options.timeoutMs)}`);
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
