import { describe, expect, it } from 'vitest';
import { HttpProblem, problemDetailsSchema } from './problem.js';

describe('problem details', () => {
  it('keeps the standard members whatever the extensions say, and fits its own schema', () => {
    const problem = new HttpProblem(409, 'Not running', 'already cancelled', { status: 'cancelled', title: 'x', runStatus: 'cancelled' });
    const body = problem.toJSON('/simulations/1');
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Not running',
      status: 409,
      detail: 'already cancelled',
      instance: '/simulations/1',
      runStatus: 'cancelled',
    });
    expect(Object.keys(body).slice(0, 3)).toEqual(['type', 'title', 'status']);
    expect(problemDetailsSchema.safeParse(body).success).toBe(true);
  });
});
