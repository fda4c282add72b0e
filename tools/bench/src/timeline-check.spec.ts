import { describe, expect, it } from 'vitest';
import { checkTimeline, describeTimelineCheck } from './timeline-check.js';

const seqs = (...values: number[]) => values.map((seq) => ({ seq }));

describe('checkTimeline', () => {
  it('passes every seq from 1 to items exactly once, in any order', () => {
    const check = checkTimeline(seqs(3, 1, 2), 3);
    expect(check.ok).toBe(true);
    expect(describeTimelineCheck(check)).toBe('every seq exactly once');
  });

  it('finds missing, duplicated and unexpected seqs', () => {
    const check = checkTimeline(seqs(1, 2, 2, 5, 0), 4);
    expect(check).toEqual({ ok: false, missing: [3, 4], duplicated: [2], unexpected: [5, 0] });
    expect(describeTimelineCheck(check)).toBe('missing 2 (3, 4); duplicated 1 (2); unexpected 2 (5, 0)');
  });

  it('an empty timeline misses everything', () => {
    expect(checkTimeline([], 2).missing).toEqual([1, 2]);
  });
});
