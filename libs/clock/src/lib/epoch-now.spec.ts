import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { epochNow } from './epoch-now.js';

describe('epochNow', () => {
  it('reads the wall clock with sub-millisecond steps, never going back', () => {
    const readings = Array.from({ length: 1_000 }, epochNow);
    expect(Math.abs(readings[0]! - Date.now())).toBeLessThan(1_000);
    expect(readings.every((reading, index) => index === 0 || reading >= readings[index - 1]!)).toBe(true);
    expect(readings.some((reading) => !Number.isInteger(reading))).toBe(true);
  });

  it('agrees with a reading taken in another process', () => {
    const before = epochNow();
    // The same formula in a fresh process: its performance.now() starts near 0, so only timeOrigin makes the two comparable.
    const theirs = Number(
      execFileSync(process.execPath, ['-e', 'process.stdout.write(String(performance.timeOrigin + performance.now()))']).toString(),
    );
    const after = epochNow();
    expect(theirs).toBeGreaterThanOrEqual(before - 5);
    expect(theirs).toBeLessThanOrEqual(after + 5);
  });
});
