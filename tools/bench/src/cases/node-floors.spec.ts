import { describe, expect, it } from 'vitest';
import { forkFloor, workerFloor } from '../node-floor-anchors.js';
import { median } from './node-floors.js';

describe('node floors', () => {
  it('take the middle figure', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it.each([
    ['fork', forkFloor],
    ['Worker', workerFloor],
  ])('a bare %s per task waits the task out and joins every child', async (_name, floor) => {
    const result = await floor(3, 100);
    // The children wait their 100 ms: the time to the last message cannot be shorter.
    expect(result.totalMs).toBeGreaterThanOrEqual(99);
    expect(result.overheadMs).toBeCloseTo(result.totalMs - 100, 5);
    expect(result.joinedMs).toBeGreaterThanOrEqual(result.totalMs);
  });
});
