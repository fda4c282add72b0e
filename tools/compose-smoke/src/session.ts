/**
 * The plumbing of a smoke run against one compose project: one line per step
 * with its time, commands bounded by the overall timeout and stopped on
 * Ctrl-C or SIGTERM, health waits, the last log lines on a failure, and a
 * teardown that always runs. The cluster smoke (cluster-main.ts) runs on it.
 */
import { composeArgv, type ComposeCommand } from './compose.js';
import { describeExit, exec, type ExecResult } from './exec.js';
import { judgeHealth, parseInspect } from './health.js';
import { tailLines } from './logs.js';

/** A check that failed: its message is the step's reason, and the run goes on to its teardown. */
export class Failure extends Error {}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

const TEARDOWN_TIMEOUT_MS = 120_000;
const LOG_TAIL = 40;

export interface SessionSettings {
  /** What the run is called in its first and last lines, e.g. "cluster smoke test". */
  title: string;
  project: string;
  /** The compose files, in order (`-f` each); empty: compose's default file. */
  files: readonly string[];
  /** The repository root: where compose runs. */
  root: string;
  timeoutMs: number;
  healthTimeoutMs: number;
}

type RunOptions = { timeoutMs?: number; onLine?: (line: string) => void; signal?: AbortSignal };

export class SmokeSession {
  /** Aborted by the overall timeout, Ctrl-C or SIGTERM: the command under way is stopped, then the teardown runs. */
  readonly stopping = new AbortController();
  env: Record<string, string | undefined> = { ...process.env };
  compose: ComposeCommand | undefined;
  /** The compose services, for the logs on a failure and the teardown's image tags. */
  services: string[] = [];
  /** Set once a command that makes something of the project starts: from then on it is torn down. */
  touched = false;
  private readonly startedAt = performance.now();
  private interrupts = 0;
  private lastHealth = '';

  constructor(readonly settings: SessionSettings) {}

  elapsed = () => performance.now() - this.startedAt;
  say = (line: string) => process.stdout.write(`[${seconds(this.elapsed()).padStart(7)}] ${line}\n`);
  detail = (line: string) => process.stdout.write(`          ${line}\n`);

  run(argv: readonly string[], more: RunOptions = {}): Promise<ExecResult> {
    return exec(argv, {
      cwd: this.settings.root,
      env: this.env,
      signal: more.signal ?? this.stopping.signal,
      ...(more.timeoutMs === undefined ? {} : { timeoutMs: more.timeoutMs }),
      ...(more.onLine ? { onLine: more.onLine } : {}),
    });
  }

  /** Runs a command that must succeed; its output goes into the error when it does not. */
  async must(argv: readonly string[], more: RunOptions = {}): Promise<ExecResult> {
    const result = await this.run(argv, more);
    if (result.code !== 0 || result.stopped) {
      const tail = tailLines(result.output, 30).map((line) => `    ${line}`);
      throw new Failure(`${describeExit(argv, result)}\n${tail.join('\n')}`);
    }
    return result;
  }

  /** `<compose> -f <file>... -p <project> <args>`. */
  composeCmd(...args: string[]): string[] {
    if (!this.compose) throw new Error('compose command not detected yet');
    return composeArgv(this.compose, this.settings.project, args, this.settings.files);
  }

  /** One step: its line says ok or FAIL, what it found and how long it took. */
  async step<T>(name: string, body: () => Promise<{ value: T; detail?: string }>, announce = false): Promise<T> {
    if (this.stopping.signal.aborted) throw this.stopping.signal.reason;
    if (announce) this.say(`...  ${name}`);
    const began = performance.now();
    try {
      const { value, detail: what } = await body();
      this.say(`ok   ${name}${what ? `: ${what}` : ''} (${seconds(performance.now() - began)})`);
      return value;
    } catch (error) {
      const reason = this.stopping.signal.aborted ? errorText(this.stopping.signal.reason) : errorText(error);
      this.say(`FAIL ${name} (${seconds(performance.now() - began)}): ${reason}`);
      throw new Failure(`${name}: ${reason.split('\n')[0]}`);
    }
  }

  /** Polls until `check` gives a value, or throws once `timeoutMs` has passed; `check` returns undefined to wait longer. */
  async poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, everyMs = 500): Promise<T> {
    const began = performance.now();
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (performance.now() - began > timeoutMs) throw new Failure(`${what}: not within ${seconds(timeoutMs)}`);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      if (this.stopping.signal.aborted) throw this.stopping.signal.reason;
    }
  }

  private get projectLabel() {
    return `label=com.docker.compose.project=${this.settings.project}`;
  }

  /** The id of a service's (first) container, running or not. */
  async containerOf(service: string): Promise<string> {
    const listed = await this.must([
      'docker',
      'ps',
      '-a',
      '-q',
      '--filter',
      this.projectLabel,
      '--filter',
      `label=com.docker.compose.service=${service}`,
    ]);
    const id = listed.stdout.trim().split('\n')[0]?.trim();
    if (!id) throw new Failure(`no container for service ${service}`);
    return id;
  }

  /** Polls `docker inspect` until every expected container is healthy, a container fails, or the bound passes. */
  async waitHealthy(expected: Record<string, number>): Promise<{ value: undefined; detail: string }> {
    const count = Object.values(expected).reduce((sum, n) => sum + n, 0);
    let shown = '';
    const summary = await this.poll(
      `all ${count} containers healthy`,
      this.settings.healthTimeoutMs,
      async () => {
        const listed = await this.must(['docker', 'ps', '-a', '-q', '--filter', this.projectLabel], { timeoutMs: 30_000 });
        const ids = listed.stdout.split('\n').filter((id) => id.trim() !== '');
        // A container removed between `docker ps` and `docker inspect` fails the inspect: look again next round.
        const inspected = ids.length === 0 ? undefined : await this.run(['docker', 'inspect', ...ids], { timeoutMs: 30_000 });
        const containers = inspected?.code === 0 ? parseInspect(inspected.stdout, this.settings.project) : [];
        const verdict = judgeHealth(containers, expected);
        this.lastHealth = verdict.summary;
        if (verdict.failure) throw new Failure(`${verdict.failure} (${verdict.summary})`);
        if (verdict.ready) return verdict.summary;
        if (verdict.summary !== shown) this.detail(`${seconds(this.elapsed())}: ${verdict.summary}`);
        shown = verdict.summary;
        return undefined;
      },
      1_000,
    );
    return { value: undefined, detail: `all ${count} containers healthy (${summary})` };
  }

  /** Runs the smoke: the body, the last logs if it failed, the teardown always; then exits 0 (passed), 1 (failed) or 130 (interrupted). */
  async main(body: () => Promise<void>): Promise<never> {
    const deadline = this.guard();
    let failure: string | undefined;
    try {
      await body();
    } catch (error) {
      failure = this.stopping.signal.aborted ? errorText(this.stopping.signal.reason) : errorText(error);
      if (!(error instanceof Failure) && !this.stopping.signal.aborted) this.say(`FAIL ${failure}`);
      if (this.interrupts === 0)
        await this.printLastLogs().catch((logError: unknown) => this.say(`could not read the logs: ${errorText(logError)}`));
    }
    const clean = await this.teardown();
    clearTimeout(deadline);
    if (failure === undefined && clean) {
      this.say(`${this.settings.title} passed in ${seconds(this.elapsed())}`);
      process.exit(0);
    }
    this.say(
      `${this.settings.title} FAILED after ${seconds(this.elapsed())}: ${failure ?? 'the teardown left part of the project behind'}`,
    );
    process.exit(this.interrupts > 0 ? 130 : 1);
  }

  /** Ctrl-C or SIGTERM once: stop and tear down; three times: exit now. The overall timeout aborts as the first does. */
  private guard(): NodeJS.Timeout {
    const onSignal = (signal: NodeJS.Signals) => {
      this.interrupts += 1;
      if (this.interrupts === 1) {
        this.say(`${signal}: stopping, then tearing down (twice more to exit without tearing down)`);
        this.stopping.abort(new Error(`interrupted by ${signal}`));
      } else if (this.interrupts >= 3) {
        const down = this.compose ? this.composeCmd('down', '-v', '--remove-orphans').join(' ') : 'docker compose down -v';
        this.say(`exiting without tearing down; remove what is left with: ${down}`);
        process.exit(130);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const deadline = setTimeout(
      () => this.stopping.abort(new Error(`the smoke test took longer than its ${seconds(this.settings.timeoutMs)} timeout`)),
      this.settings.timeoutMs,
    );
    deadline.unref();
    return deadline;
  }

  private async printLastLogs(): Promise<void> {
    if (!this.compose || !this.touched) return;
    this.say(`last ${LOG_TAIL} log lines of each service${this.lastHealth ? ` (last seen: ${this.lastHealth})` : ''}:`);
    for (const service of this.services) {
      const result = await this.run(this.composeCmd('logs', '--no-color', '--tail', String(LOG_TAIL), service), {
        timeoutMs: 30_000,
        signal: new AbortController().signal,
      });
      this.detail(`--- ${service}`);
      for (const line of tailLines(result.output, LOG_TAIL + 5)) if (!line.startsWith('Attaching to ')) this.detail(`  ${line}`);
    }
  }

  /**
   * Stops and removes the project's containers, network and volumes, with its
   * own signal (the run's may be aborted). The images built under the
   * project's name are tagged concurrency-lab/<service> first, as the Nx
   * docker-build targets tag them, so the next build reuses their layers and
   * no tags pile up.
   */
  async teardown(): Promise<boolean> {
    if (!this.compose || !this.touched) return true;
    const began = performance.now();
    const bounded = { timeoutMs: TEARDOWN_TIMEOUT_MS, signal: new AbortController().signal };
    const downArgv = this.composeCmd('down', '-v', '--remove-orphans');
    const down = await this.run(downArgv, bounded);
    const problems: string[] = [];
    if (down.code !== 0 || down.stopped) problems.push(`${describeExit(downArgv, down)}: ${tailLines(down.output, 5).join(' / ')}`);
    for (const service of this.services) {
      const name = `${this.settings.project}-${service}`;
      if ((await this.run(['docker', 'image', 'inspect', name], bounded)).code !== 0) continue;
      await this.run(['docker', 'tag', name, `concurrency-lab/${service}`], bounded);
      await this.run(['docker', 'rmi', name], bounded);
    }
    for (const kind of ['container', 'volume', 'network'] as const) {
      const argv = kind === 'container' ? ['docker', 'ps', '-a', '-q'] : ['docker', kind, 'ls', '-q'];
      const listed = await this.run([...argv, '--filter', this.projectLabel], bounded);
      const left = listed.stdout.split('\n').filter((line) => line.trim() !== '');
      if (left.length > 0) problems.push(`${left.length} ${kind}(s) of the project left`);
    }
    if (problems.length > 0) {
      this.say(`FAIL teardown (${seconds(performance.now() - began)}): ${problems.join('; ')}`);
      return false;
    }
    this.say(`ok   teardown: down -v --remove-orphans; nothing of the project left (${seconds(performance.now() - began)})`);
    return true;
  }
}
