import { setTimeout as sleep } from 'node:timers/promises';

/** The report fields the bench relies on. */
export interface SimulationReport {
  totalMs: number;
  idealMs: number;
  overheadMs: number;
  tasks: { pid: number }[];
}

export type SimulationOutcome = { ok: true; report: SimulationReport; modeSent: string } | { ok: false; reason: string };

interface Problem {
  detail?: unknown;
  invalidParams?: unknown;
}

/** True when a 400 problem body names the field: in invalidParams, as an unknown key, or first in its detail. */
export function problemNames(body: unknown, field: string): boolean {
  if (!body || typeof body !== 'object') return false;
  const { detail, invalidParams } = body as Problem;
  const params = Array.isArray(invalidParams) ? (invalidParams as { name?: unknown; reason?: unknown }[]) : [];
  const named = (name: unknown) => typeof name === 'string' && (name === field || name.startsWith(`${field}.`) || name.startsWith(`${field}[`));
  const quoted = (text: unknown) => typeof text === 'string' && text.includes(`"${field}"`);
  return params.some((p) => named(p.name) || quoted(p.reason)) || (typeof detail === 'string' && (detail.startsWith(`${field}:`) || quoted(detail)));
}

export function problemDetail(status: number, body: unknown): string {
  const detail = body && typeof body === 'object' ? (body as Problem).detail : undefined;
  return typeof detail === 'string' ? detail : `HTTP ${status}`;
}

function asReport(body: unknown): SimulationReport {
  const report = body as Partial<SimulationReport> | null;
  if (!report || typeof report.totalMs !== 'number' || typeof report.idealMs !== 'number' || typeof report.overheadMs !== 'number' || !Array.isArray(report.tasks)) {
    throw new Error(`unexpected simulation report: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return report as SimulationReport;
}

/** Times out, and gives up at once when the bench is interrupted. */
export function boundedSignal(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([timeout, signal]) : timeout;
}

export async function postJson(
  url: string,
  body: unknown,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ status: number; body: unknown; location: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: boundedSignal(timeoutMs, signal),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text: it goes into the reason
  }
  return { status: response.status, body: parsed, location: response.headers.get('location') };
}

/** The largest number in the reason a 400 gives for a field ("must be from 0 to 120000" → 120000), or null. */
export function limitFromProblem(body: unknown, field: string): number | null {
  if (!body || typeof body !== 'object') return null;
  const params = (body as Problem).invalidParams;
  const reasons = (Array.isArray(params) ? (params as { name?: unknown; reason?: unknown }[]) : [])
    .filter((p) => p.name === field)
    .map((p) => String(p.reason ?? ''));
  const numbers = reasons.flatMap((reason) => [...reason.matchAll(/\d[\d,_]*/g)].map((m) => Number(m[0].replace(/[,_]/g, ''))));
  const finite = numbers.filter((n) => Number.isFinite(n) && n > 0);
  return finite.length > 0 ? Math.max(...finite) : null;
}

/** Want the report within this long: 10 minutes, or the coordinator's own limit when it names a lower one. */
export const WANTED_WAIT_MS = 600_000;

/**
 * POST /simulations, tolerant of the coordinator's version: sends waitMs (and
 * on a 400 naming it, retries with the limit the 400 names, or without it);
 * sends `processes` and falls back to its alias `parallel` on a 400 that
 * names mode; remembers modes the coordinator does not accept; 200 and 201
 * both mean finished, and a 202 (still running) is followed to its Location
 * until the run ends.
 */
export class CoordinatorClient {
  private waitMs: number | null = WANTED_WAIT_MS;
  private readonly alias = new Map<string, string>();
  private readonly rejected = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly signal?: AbortSignal,
    private readonly timeoutMs = 300_000,
  ) {}

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
      const body = { mode: sent, tasks, ...(this.waitMs === null ? {} : { waitMs: this.waitMs }) };
      this.signal?.throwIfAborted();
      const answer = await postJson(`${this.baseUrl}/simulations`, body, this.timeoutMs, this.signal);
      if (answer.status === 200 || answer.status === 201) return { ok: true, report: asReport(answer.body), modeSent: sent };
      if (answer.status === 202) return this.follow(answer.location, answer.body, sent, deadline);
      const detail = problemDetail(answer.status, answer.body);
      if (answer.status === 400 && this.waitMs !== null && problemNames(answer.body, 'waitMs')) {
        const limit = limitFromProblem(answer.body, 'waitMs');
        this.waitMs = limit !== null && limit < this.waitMs ? limit : null;
        continue;
      }
      if (answer.status === 400 && problemNames(answer.body, 'mode')) {
        if (mode === 'processes' && sent !== 'parallel') {
          this.alias.set(mode, 'parallel');
          continue;
        }
        this.rejected.set(mode, `mode not accepted: ${detail}`);
        continue;
      }
      if (answer.status === 429 && attempt < 6) {
        await sleep(1_000, undefined, { signal: this.signal });
        continue;
      }
      return { ok: false, reason: answer.status === 400 ? `rejected: ${detail}` : `HTTP ${answer.status}: ${detail}` };
    }
    return { ok: false, reason: 'no answer after 6 attempts' };
  }

  /** A 202: polls the run's Location until it is no longer running, within the deadline. */
  private async follow(location: string | null, body: unknown, sent: string, deadline: number): Promise<SimulationOutcome> {
    const self = location ?? (body as { links?: { self?: string } } | null)?.links?.self;
    if (!self) return { ok: false, reason: 'HTTP 202 without a Location to follow' };
    while (Date.now() < deadline) {
      await sleep(250, undefined, { signal: this.signal });
      const response = await fetch(new URL(self, this.baseUrl), { signal: boundedSignal(10_000, this.signal) });
      const view = (await response.json()) as { status?: string; report?: unknown; error?: string };
      if (view.status === 'running') continue;
      if (view.status === 'finished') return { ok: true, report: asReport(view.report), modeSent: sent };
      return { ok: false, reason: `run ${view.status ?? 'unknown'}: ${view.error ?? ''}` };
    }
    return { ok: false, reason: `still running after ${this.timeoutMs} ms` };
  }
}
