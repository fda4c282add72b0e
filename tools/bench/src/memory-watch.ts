import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Reads a figure (a service's RSS) back to back, a short pause apart, until
 * stopped, and keeps the highest: the peak as sampling sees it, which can
 * miss a spike shorter than the pause. A failed read is a missed sample.
 */
export function watchPeak(read: () => Promise<number>, pauseMs = 200): { stop(): Promise<{ peak: number | null; samples: number }> } {
  let stopped = false;
  let peak: number | null = null;
  let samples = 0;
  const sampling = (async () => {
    while (!stopped) {
      try {
        const value = await read();
        peak = peak === null ? value : Math.max(peak, value);
        samples++;
      } catch {
        // missed: the load's own answers are what is judged
      }
      if (!stopped) await sleep(pauseMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await sampling;
      return { peak, samples };
    },
  };
}

export interface SettleOptions {
  /** Two readings in a row this close are settled. */
  tolerance: number;
  pauseMs?: number;
  /** Give up waiting past this and return the last reading, `settled: false`. */
  maxMs?: number;
  signal?: AbortSignal;
}

/**
 * A figure once it has stopped moving: reads until two readings in a row are
 * within `tolerance` of each other, within `maxMs`. For RSS after a load, the
 * last collections of the load's garbage may come a moment after its last
 * answer; what stays after them is what the load left.
 */
export async function settledReading(read: () => Promise<number>, { tolerance, pauseMs = 250, maxMs = 5_000, signal }: SettleOptions): Promise<{ value: number; settled: boolean }> {
  const deadline = Date.now() + maxMs;
  let last = await read();
  while (Date.now() < deadline) {
    await sleep(pauseMs, undefined, { signal });
    const value = await read();
    if (Math.abs(value - last) <= tolerance) return { value, settled: true };
    last = value;
  }
  return { value: last, settled: false };
}
