import { z } from 'zod';

/**
 * One thing a service needs before it can take work (its NATS connection, a
 * stream). The lib that owns the thing provides the check; the app lists them.
 */
export interface ReadinessCheck {
  /** Names the check in the answer, and in the 503's detail when it fails. */
  readonly name: string;
  /**
   * Resolves when ready, with details worth showing (or nothing); rejects with
   * the reason when not. The signal aborts once the check has timed out.
   */
  run(signal: AbortSignal): Promise<Record<string, unknown> | void>;
  /** Longest wait for an answer; past it the check fails. Default 1500 ms. */
  readonly timeoutMs?: number;
  /**
   * How long an answer (either way) is reused: probes come often, and a
   * check that asks a server must not turn a busy probe into load on it. Default 0.
   */
  readonly cacheMs?: number;
}

/** One check's answer, as GET /readyz shows it. */
export const checkResultSchema = z.union([
  z.looseObject({ status: z.literal('ok') }).meta({ description: 'Passed, with details worth showing.' }),
  z.strictObject({ status: z.literal('failed'), reason: z.string() }),
]);
export type CheckResult = z.infer<typeof checkResultSchema>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/** Named in the answer while the service shuts down: it takes no more work, whatever the other checks say. */
export const SHUTDOWN_CHECK = 'shutdown';
const DEFAULT_TIMEOUT_MS = 1_500;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One check with its cache, and its answer in progress shared by probes that arrive meanwhile. */
class CachedCheck {
  private cached: { result: CheckResult; until: number } | undefined;
  private running: Promise<CheckResult> | undefined;

  constructor(private readonly check: ReadinessCheck) {}

  result(): Promise<CheckResult> {
    if (this.cached && Date.now() < this.cached.until) return Promise.resolve(this.cached.result);
    this.running ??= this.runBounded().then((result) => {
      this.running = undefined;
      this.cached = { result, until: Date.now() + (this.check.cacheMs ?? 0) };
      return result;
    });
    return this.running;
  }

  /** Never hangs and never rejects: a check that does not answer within its timeout has failed. */
  private async runBounded(): Promise<CheckResult> {
    const timeoutMs = this.check.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      const details = await Promise.race([Promise.resolve().then(() => this.check.run(controller.signal)), timedOut]);
      const { status: _status, ...shown } = details ?? {};
      return { status: 'ok', ...shown };
    } catch (error) {
      return { status: 'failed', reason: reasonOf(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Whether a service can take work: every check passes and it is not shutting
 * down. Checks run side by side, each bounded by its timeout, so an answer
 * never takes longer than the slowest timeout.
 */
export class Readiness {
  private readonly checks: { name: string; cached: CachedCheck }[];
  private stopping = false;

  constructor(checks: readonly ReadinessCheck[]) {
    const names = checks.map((check) => check.name);
    const clash = names.find((name, index) => names.indexOf(name) !== index || name === SHUTDOWN_CHECK);
    if (clash) throw new Error(`readiness check name ${JSON.stringify(clash)} is used twice or reserved`);
    this.checks = checks.map((check) => ({ name: check.name, cached: new CachedCheck(check) }));
  }

  /** From now on not ready: the first step of a shutdown, so that probes see it before the service drains. */
  shutDown(): void {
    this.stopping = true;
  }

  async report(): Promise<ReadinessReport> {
    // Shutting down is final: no need to ask NATS anything (it is about to be drained).
    if (this.stopping) return { ready: false, checks: { [SHUTDOWN_CHECK]: { status: 'failed', reason: 'the service is shutting down' } } };
    const results = await Promise.all(this.checks.map(async ({ name, cached }) => [name, await cached.result()] as const));
    const checks: Record<string, CheckResult> = Object.fromEntries([...results, [SHUTDOWN_CHECK, { status: 'ok' }]]);
    return { ready: results.every(([, result]) => result.status === 'ok'), checks };
  }
}
