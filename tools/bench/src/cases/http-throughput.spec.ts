import { describe, expect, it } from 'vitest';
import { HTTP_SIMULATION, median } from './http-throughput.js';

describe('http throughput case', () => {
  it('takes the median of the rounds, whatever their order', () => {
    expect(median([900, 300, 600])).toBe(600);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('loads POST /simulations with two async tasks the same-work anchor waits on too', () => {
    expect(HTTP_SIMULATION.mode).toBe('async');
    expect(HTTP_SIMULATION.tasks.map((task) => task.durationMs)).toEqual([1, 2]);
  });
});
