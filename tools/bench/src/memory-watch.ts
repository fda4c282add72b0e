import { setTimeout as sleep } from 'node:timers/promises';

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
export async function settledReading(
  read: () => Promise<number>,
  { tolerance, pauseMs = 250, maxMs = 5_000, signal }: SettleOptions,
): Promise<{ value: number; settled: boolean }> {
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
