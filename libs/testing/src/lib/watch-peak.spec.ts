import { describe, expect, it } from 'vitest';
import { watchPeak } from './watch-peak.js';

/** A read that returns the values in turn, then the last one again; a NaN stands for a failed read. */
function readings(values: number[]): { read: () => Promise<number>; calls: () => number } {
  let index = 0;
  return {
    read: async () => {
      const value = values[Math.min(index++, values.length - 1)] as number;
      if (Number.isNaN(value)) throw new Error('scrape failed');
      return value;
    },
    calls: () => index,
  };
}

describe('watchPeak', () => {
  it('keeps the highest reading until stopped, skipping failed reads', async () => {
    const source = readings([3, 9, Number.NaN, 4]);
    let reachedEnd: () => void = () => undefined;
    const allRead = new Promise<void>((resolve) => (reachedEnd = resolve));
    const watch = watchPeak(async () => {
      const value = source.read();
      if (source.calls() >= 4) reachedEnd();
      return value;
    }, 1);
    await allRead;
    const { peak, samples } = await watch.stop();
    expect(peak).toBe(9);
    expect(samples).toBeGreaterThanOrEqual(3);
  });

  it('has no peak when every read failed', async () => {
    const watch = watchPeak(() => Promise.reject(new Error('down')), 1);
    expect(await watch.stop()).toEqual({ peak: null, samples: 0 });
  });
});
