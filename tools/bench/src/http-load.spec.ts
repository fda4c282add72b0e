import { describe, expect, it } from 'vitest';
import { formatElapsed, loadNote, rateOf, type LoadResult } from './http-load.js';

describe('rateOf', () => {
  it('is answers per second over the elapsed milliseconds, 0 when nothing was timed', () => {
    expect(rateOf(10_000, 4_000)).toBe(2_500);
    expect(rateOf(5, 0)).toBe(0);
  });
});

describe('formatElapsed', () => {
  it('gives milliseconds under a second and seconds with one decimal above', () => {
    expect(formatElapsed(48.4)).toBe('48 ms');
    expect(formatElapsed(999.4)).toBe('999 ms');
    expect(formatElapsed(4_049)).toBe('4.0 s');
  });
});

describe('loadNote', () => {
  const clean: LoadResult = { rps: 2_500, total: 10_000, non2xx: 0, errors: 0, timeouts: 0, elapsedMs: 4_049, complete: true };

  it('says how many requests and that all were 2xx; with elapsed, how long they took', () => {
    expect(loadNote('coordinator', clean, undefined)).toBe('coordinator 10,000 requests, all 2xx');
    expect(loadNote('coordinator', clean, undefined, { elapsed: true })).toBe('coordinator 10,000 requests in 4.0 s, all 2xx');
  });

  it('counts non-2xx, errors and timeouts, and says when the time bound stopped a counted run', () => {
    const bad = { ...clean, total: 950, non2xx: 40, errors: 7, timeouts: 2, complete: false };
    expect(loadNote('express', bad, undefined)).toBe('express 950 requests, 40 non-2xx, 7 errors, 2 timeouts, stopped at the time bound');
  });

  it('is n/a with the reason when the run failed', () => {
    expect(loadNote('express', null, 'connect ECONNREFUSED')).toBe('express n/a: connect ECONNREFUSED');
    expect(loadNote('express', null, undefined)).toBe('express n/a: not measured');
  });
});
