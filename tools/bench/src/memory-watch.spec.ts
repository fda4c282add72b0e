import { describe, expect, it } from 'vitest';
import { settledReading } from './memory-watch.js';

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

describe('settledReading', () => {
  it('returns the first reading within tolerance of the one before', async () => {
    const source = readings([150, 140, 133, 132.5, 132.4]);
    expect(await settledReading(source.read, { tolerance: 1, pauseMs: 1 })).toEqual({ value: 132.5, settled: true });
    expect(source.calls()).toBe(4);
  });

  it('gives up at maxMs with the last reading, not settled', async () => {
    let value = 0;
    const result = await settledReading(async () => (value += 10), { tolerance: 1, pauseMs: 1, maxMs: 20 });
    expect(result.settled).toBe(false);
    expect(result.value).toBe(value);
  });
});
