import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Reads a figure (a service's RSS) back to back, a short pause apart, until
 * stopped, and keeps the highest: the peak as sampling sees it, which can
 * miss a spike shorter than the pause. A failed read is a missed sample, not
 * a failure: under load, the load's own answers are what is judged.
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
        // a missed sample
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
