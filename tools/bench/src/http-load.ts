import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { reasonOf } from './rows.js';

export interface LoadResult {
  /** 2xx responses per second over the run. */
  rps: number;
  /** Responses, whatever their status. */
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** From the start to the end of the run (with `amount`: to the last answer). */
  elapsedMs: number;
  /** With `amount`: whether every request was answered before the time bound; always true for a timed run. */
  complete: boolean;
}

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  body?: unknown;
  connections: number;
  /** How long to send for; with `amount`, the longest it may take (it stops short past it, `complete: false`). */
  seconds: number;
  /** Send this many requests, spread over the connections, rather than for `seconds`. */
  amount?: number;
  /** Stops the run early (the bench is being interrupted). */
  signal?: AbortSignal;
}

/** 2xx answers per second over elapsedMs; 0 when nothing was timed. */
export function rateOf(ok: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (ok / elapsedMs) * 1000 : 0;
}

/**
 * autocannon in this process (which does nothing else meanwhile), for a
 * bounded duration or a bounded count of requests within a time bound.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  options.signal?.throwIfAborted();
  const counted = options.amount !== undefined;
  const started = performance.now();
  let instance: autocannon.Instance | undefined;
  // The callback form: its instance is typed, with the events and stop() a counted, bounded run needs.
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        method: options.method,
        connections: options.amount === undefined ? options.connections : Math.min(options.connections, options.amount),
        ...(options.amount === undefined ? { duration: options.seconds } : { amount: options.amount }),
        timeout: 10,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body), headers: { 'content-type': 'application/json' } }),
      },
      (error: unknown, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)),
    );
  });
  // autocannon notices the end of a counted run at its next 1 s sample, and says so in its duration:
  // the time to the last answer is the run's real length.
  let lastAnswer = started;
  if (counted) instance?.on('response', () => (lastAnswer = performance.now()));
  const stop = () => instance?.stop();
  const bound = counted ? setTimeout(stop, options.seconds * 1000) : undefined;
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const result = await finished;
    const elapsedMs = counted ? lastAnswer - started : result.duration * 1000;
    return {
      rps: rateOf(result['2xx'], elapsedMs),
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      elapsedMs,
      complete: options.amount === undefined || result.requests.total >= options.amount,
    };
  } finally {
    clearTimeout(bound);
    options.signal?.removeEventListener('abort', stop);
  }
}

/** A run's length for a note: milliseconds under a second (a quick run's 100 requests), else seconds. */
export function formatElapsed(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** runLoad, with a failure (nothing listening, a bad option) as the reason instead of a throw: the row says n/a. */
export async function measureLoad(options: LoadOptions): Promise<{ result: LoadResult | null; error?: string }> {
  try {
    return { result: await runLoad(options) };
  } catch (error) {
    return { result: null, error: reasonOf(error) };
  }
}

/**
 * A run's counts for a row's note: "coordinator 10,000 requests, all 2xx", or
 * what went wrong; with `elapsed`, how long the run took (for counted runs).
 */
export function loadNote(who: string, result: LoadResult | null, error: string | undefined, { elapsed = false } = {}): string {
  if (!result) return `${who} n/a: ${error ?? 'not measured'}`;
  const bad = [
    result.non2xx ? `${result.non2xx} non-2xx` : '',
    result.errors ? `${result.errors} errors` : '',
    result.timeouts ? `${result.timeouts} timeouts` : '',
    result.complete ? '' : 'stopped at the time bound',
  ]
    .filter(Boolean)
    .join(', ');
  const time = elapsed ? ` in ${formatElapsed(result.elapsedMs)}` : '';
  return `${who} ${result.total.toLocaleString('en-US')} requests${time}${bad ? `, ${bad}` : ', all 2xx'}`;
}
