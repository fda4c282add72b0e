import { describe, expect, it } from 'vitest';
import { ratioOf, row } from './rows.js';

describe('ratioOf', () => {
  it('is project / anchor, rounded to three places', () => {
    expect(ratioOf(3, 4)).toBe(0.75);
    expect(ratioOf(10, 3)).toBe(3.333);
  });

  it('is null when a figure is missing or the anchor is not positive', () => {
    expect(ratioOf(null, 4)).toBeNull();
    expect(ratioOf(4, null)).toBeNull();
    expect(ratioOf(4, 0)).toBeNull();
    expect(ratioOf(4, -2)).toBeNull();
    expect(ratioOf(Number.NaN, 2)).toBeNull();
  });

  it('is null for a negative figure (an overhead within the clock resolution), 0 for zero', () => {
    expect(ratioOf(-0.1, 5)).toBeNull();
    expect(ratioOf(0, 5)).toBe(0);
  });
});

describe('row', () => {
  it('adds the ratio and drops an empty note', () => {
    const built = row({
      id: 'x',
      group: 'g',
      what: 'w',
      unit: 'ms',
      better: 'lower',
      project: 5,
      anchor: { name: 'a', value: 10 },
      note: undefined,
      params: {},
    });
    expect(built.ratio).toBe(0.5);
    expect('note' in built).toBe(false);
  });
});
