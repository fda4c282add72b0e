export interface BoundedLoadOptions {
  /** Requests to send, at most. */
  count: number;
  /** Requests awaiting their answer at once, at most. */
  inFlight: number;
  /** Past this, nothing new is sent and what is in flight is aborted (counted as network errors). */
  timeLimitMs: number;
  /** Sends one request and returns its HTTP status once the body is read; throws when nothing answered. */
  send: (signal: AbortSignal) => Promise<number>;
}

export interface BoundedLoadResult {
  /** Answers by HTTP status, e.g. `{ 200: 10000 }`. */
  statuses: Record<number, number>;
  /** Requests that got no answer: refused, reset, or aborted at the time limit. */
  networkErrors: number;
  firstNetworkError?: string;
  /** Requests never sent because the time limit passed first. */
  notSent: number;
  elapsedMs: number;
}

/**
 * Sends `count` requests with at most `inFlight` awaiting an answer, bounded
 * in count and in time: a worker per slot takes the next request as soon as
 * its last one is answered, so the load is as high as the server allows and
 * never more than the slots.
 */
export async function sendBounded({ count, inFlight, timeLimitMs, send }: BoundedLoadOptions): Promise<BoundedLoadResult> {
  const statuses: Record<number, number> = {};
  let next = 0;
  let networkErrors = 0;
  let firstNetworkError: string | undefined;
  const started = performance.now();
  const deadline = started + timeLimitMs;
  const worker = async () => {
    while (next < count && performance.now() < deadline) {
      next++;
      try {
        // A signal per request, to the deadline: one signal shared by thousands of fetches collects an abort listener
        // per request until garbage collection (undici), which Node warns about past 1,500.
        const status = await send(AbortSignal.timeout(Math.max(1, Math.ceil(deadline - performance.now()))));
        statuses[status] = (statuses[status] ?? 0) + 1;
      } catch (error) {
        networkErrors++;
        firstNetworkError ??=
          error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return {
    statuses,
    networkErrors,
    ...(firstNetworkError === undefined ? {} : { firstNetworkError }),
    notSent: count - next,
    elapsedMs: performance.now() - started,
  };
}
