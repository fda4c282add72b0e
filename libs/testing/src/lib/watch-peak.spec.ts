import { describe, expect, it } from 'vitest';
import { watchPeak } from './watch-peak.js';

describe('watchPeak', () => {
  it('keeps the highest reading until stopped, skipping failed reads', async () => {
    const values = [3, 9, Number.NaN, 4]; // NaN: a read that fails
    let calls = 0;
    let reachedEnd: () => void = () => undefined;
    const allRead = new Promise<void>((resolve) => (reachedEnd = resolve));
    const watch = watchPeak(async () => {
      const value = values[Math.min(calls++, values.length - 1)] as number;
      if (calls >= values.length) reachedEnd();
      if (Number.isNaN(value)) throw new Error('scrape failed');
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
