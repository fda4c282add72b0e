import autocannon from 'autocannon';

export interface LoadResult {
  /** 2xx responses per second over the run. */
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  body?: unknown;
  connections: number;
  seconds: number;
}

/** autocannon for a bounded duration, in this process (which does nothing else meanwhile). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body), headers: { 'content-type': 'application/json' } }),
  });
  const ok = result['2xx'];
  return {
    rps: ok / result.duration,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
