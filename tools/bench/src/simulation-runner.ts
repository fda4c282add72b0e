import {
  CoordinatorProblem,
  CoordinatorUnreachable,
  createCoordinatorClient,
  type CoordinatorClient,
  type RunReport,
  type SimulationRequest,
} from '@concurrency-lab/api-client';
import { setTimeout as sleep } from 'node:timers/promises';

export type SimulationOutcome = { ok: true; report: RunReport; modeSent: string } | { ok: false; reason: string };

/** The largest number in the reason a 400 gives for a field ("must be from 0 to 120000" → 120000), or null. */
export function limitFromProblem(problem: CoordinatorProblem, field: string): number | null {
  const numbers = problem
    .reasonsFor(field)
    .flatMap((reason) => [...reason.matchAll(/\d[\d,_]*/g)].map((m) => Number(m[0].replace(/[,_]/g, ''))));
  const finite = numbers.filter((n) => Number.isFinite(n) && n > 0);
  return finite.length > 0 ? Math.max(...finite) : null;
}

/** The bench reads a single mode's report: a comparison, or anything else, is a coordinator it cannot measure. */
function asRunReport(report: unknown): RunReport {
  const run = report as Partial<RunReport> | null;
  if (
    !run ||
    typeof run.totalMs !== 'number' ||
    typeof run.idealMs !== 'number' ||
    typeof run.overheadMs !== 'number' ||
    !Array.isArray(run.tasks)
  ) {
    throw new Error(`unexpected simulation report: ${JSON.stringify(report).slice(0, 200)}`);
  }
  return run as RunReport;
}

/** Want the report within this long: 10 minutes, or the coordinator's own limit when it names a lower one. */
export const WANTED_WAIT_MS = 600_000;

/**
 * POST /simulations through the API client, tolerant of the coordinator's
 * version: sends waitMs (and on a 400 naming it, retries with the limit the
 * 400 names, or without it); sends `processes` and falls back to its alias
 * `parallel` on a 400 that names mode; remembers modes the coordinator does
 * not accept; a 202 (still running) is followed to its Location until the run ends.
 */
export class SimulationRunner {
  /** The typed client, for the bench's other calls (queue runs). */
  readonly api: CoordinatorClient;
  private waitMs: number | null = WANTED_WAIT_MS;
  private readonly alias = new Map<string, string>();
  private readonly rejected = new Map<string, string>();

  constructor(
    baseUrl: string,
    private readonly signal?: AbortSignal,
    private readonly timeoutMs = 300_000,
  ) {
    this.api = createCoordinatorClient({ baseUrl, ...(signal ? { signal } : {}) });
  }

  get baseUrl(): string {
    return this.api.baseUrl;
  }

  /** The mode actually sent for a mode name (e.g. processes → parallel on an older coordinator). */
  sentModeFor(mode: string): string {
    return this.alias.get(mode) ?? mode;
  }

  /** The waitMs sent with every simulation (null: the coordinator does not know the field). */
  get waitMsSent(): number | null {
    return this.waitMs;
  }

  async simulate(mode: string, tasks: { name: string; durationMs: number }[]): Promise<SimulationOutcome> {
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 1; attempt <= 6; attempt++) {
      const known = this.rejected.get(mode);
      if (known) return { ok: false, reason: known };
      const sent = this.sentModeFor(mode);
      // The mode may be one this coordinator does not know: its 400 is how the bench learns that.
      const body = { mode: sent as SimulationRequest['mode'], tasks, ...(this.waitMs === null ? {} : { waitMs: this.waitMs }) };
      try {
        const answer = await this.api.simulate(body, { timeoutMs: this.timeoutMs });
        if (answer.status === 201) return { ok: true, report: asRunReport(answer.report), modeSent: sent };
        return await this.follow(answer.location || answer.run.links.self, sent, deadline);
      } catch (error) {
        if (!(error instanceof CoordinatorProblem)) throw error;
        const retry = await this.adaptTo(error, mode, sent, attempt);
        if (!retry)
          return { ok: false, reason: error.status === 400 ? `rejected: ${error.reason}` : `HTTP ${error.status}: ${error.reason}` };
      }
    }
    return { ok: false, reason: 'no answer after 6 attempts' };
  }

  /** Learns from a refusal what to send next; false when retrying would not help. */
  private async adaptTo(problem: CoordinatorProblem, mode: string, sent: string, attempt: number): Promise<boolean> {
    if (problem.status === 400 && this.waitMs !== null && problem.names('waitMs')) {
      const limit = limitFromProblem(problem, 'waitMs');
      this.waitMs = limit !== null && limit < this.waitMs ? limit : null;
      return true;
    }
    if (problem.status === 400 && problem.names('mode')) {
      if (mode === 'processes' && sent !== 'parallel') this.alias.set(mode, 'parallel');
      else this.rejected.set(mode, `mode not accepted: ${problem.reason}`);
      return true;
    }
    if (problem.status === 429 && attempt < 6) {
      await sleep(1_000, undefined, { signal: this.signal });
      return true;
    }
    return false;
  }

  /**
   * One GET of a run. A connection reset is asked again (twice at most): a
   * 1000-process run can stall the coordinator past a kept-alive socket's
   * life, and a lost poll of an idempotent GET is not the run failing.
   */
  private async poll(location: string): Promise<Awaited<ReturnType<CoordinatorClient['simulation']>>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.api.simulation(location, { timeoutMs: 10_000 });
      } catch (error) {
        if (!(error instanceof CoordinatorUnreachable) || attempt >= 3) throw error;
        await sleep(250, undefined, { signal: this.signal });
      }
    }
  }

  /** A 202: polls the run's Location until it is no longer running, within the deadline. */
  private async follow(location: string, sent: string, deadline: number): Promise<SimulationOutcome> {
    if (!location) return { ok: false, reason: 'HTTP 202 without a Location to follow' };
    while (Date.now() < deadline) {
      await sleep(250, undefined, { signal: this.signal });
      const view = await this.poll(location);
      if (view.status === 'running') continue;
      if (view.status === 'finished') return { ok: true, report: asRunReport(view.report), modeSent: sent };
      return { ok: false, reason: `run ${view.status}: ${view.error ?? ''}` };
    }
    return { ok: false, reason: `still running after ${this.timeoutMs} ms` };
  }
}
