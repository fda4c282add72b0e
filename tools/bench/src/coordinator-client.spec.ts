import { describe, expect, it } from 'vitest';
import { limitFromProblem, problemDetail, problemNames } from './coordinator-client.js';

const problem = (detail: string, invalidParams: { name: string; reason: string }[]) => ({ status: 400, detail, invalidParams });

describe('problemNames', () => {
  it('finds a field in invalidParams, nested or indexed', () => {
    const body = problem('mode: must be one of sequential, parallel, compare', [
      { name: 'mode', reason: 'must be one of sequential, parallel, compare' },
      { name: 'tasks[0].durationMs', reason: 'must not be negative' },
    ]);
    expect(problemNames(body, 'mode')).toBe(true);
    expect(problemNames(body, 'tasks')).toBe(true);
    expect(problemNames(body, 'waitMs')).toBe(false);
  });

  it('finds an unknown key named in the reason', () => {
    const body = problem('body: Unrecognized key: "waitMs"', [{ name: 'body', reason: 'Unrecognized key: "waitMs"' }]);
    expect(problemNames(body, 'waitMs')).toBe(true);
    expect(problemNames(body, 'mode')).toBe(false);
  });

  it('is false for anything that is not a problem', () => {
    expect(problemNames('mode', 'mode')).toBe(false);
    expect(problemNames(null, 'mode')).toBe(false);
  });
});

describe('limitFromProblem', () => {
  it('reads the limit a 400 names for the field', () => {
    expect(limitFromProblem(problem('waitMs: must be from 0 to 120000', [{ name: 'waitMs', reason: 'must be from 0 to 120000' }]), 'waitMs')).toBe(120_000);
    expect(limitFromProblem(problem('waitMs: at most 60,000', [{ name: 'waitMs', reason: 'must be at most 60,000' }]), 'waitMs')).toBe(60_000);
  });

  it('is null for an unknown key or another field', () => {
    expect(limitFromProblem(problem('body: Unrecognized key: "waitMs"', [{ name: 'body', reason: 'Unrecognized key: "waitMs"' }]), 'waitMs')).toBeNull();
    expect(limitFromProblem(problem('mode: x', [{ name: 'mode', reason: 'must be 1 of 5' }]), 'waitMs')).toBeNull();
  });
});

describe('problemDetail', () => {
  it('is the detail, or the status', () => {
    expect(problemDetail(400, { detail: 'tasks: too many' })).toBe('tasks: too many');
    expect(problemDetail(502, 'Bad gateway')).toBe('HTTP 502');
  });
});
