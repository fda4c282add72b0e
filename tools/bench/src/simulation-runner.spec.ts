import { CoordinatorProblem } from '@concurrency-lab/api-client';
import { describe, expect, it } from 'vitest';
import { limitFromProblem } from './simulation-runner.js';

const problem = (detail: string, invalidParams: { name: string; reason: string }[]) =>
  new CoordinatorProblem('POST /simulations', 400, { type: 'about:blank', title: 'Bad Request', status: 400, detail, invalidParams });

describe('CoordinatorProblem.names, as the bench reads a 400', () => {
  it('finds a field in invalidParams, nested or indexed', () => {
    const body = problem('mode: must be one of sequential, parallel, compare', [
      { name: 'mode', reason: 'must be one of sequential, parallel, compare' },
      { name: 'tasks[0].durationMs', reason: 'must not be negative' },
    ]);
    expect(body.names('mode')).toBe(true);
    expect(body.names('tasks')).toBe(true);
    expect(body.names('waitMs')).toBe(false);
  });

  it('finds an unknown key named in the reason', () => {
    const body = problem('body: Unrecognized key: "waitMs"', [{ name: 'body', reason: 'Unrecognized key: "waitMs"' }]);
    expect(body.names('waitMs')).toBe(true);
    expect(body.names('mode')).toBe(false);
  });

  it('is false for anything that is not a problem', () => {
    expect(new CoordinatorProblem('POST /simulations', 400, 'mode').names('mode')).toBe(false);
    expect(new CoordinatorProblem('POST /simulations', 400, null).names('mode')).toBe(false);
  });
});

describe('limitFromProblem', () => {
  it('reads the limit a 400 names for the field', () => {
    expect(
      limitFromProblem(problem('waitMs: must be from 0 to 120000', [{ name: 'waitMs', reason: 'must be from 0 to 120000' }]), 'waitMs'),
    ).toBe(120_000);
    expect(limitFromProblem(problem('waitMs: at most 60,000', [{ name: 'waitMs', reason: 'must be at most 60,000' }]), 'waitMs')).toBe(
      60_000,
    );
  });

  it('is null for an unknown key or another field', () => {
    expect(
      limitFromProblem(problem('body: Unrecognized key: "waitMs"', [{ name: 'body', reason: 'Unrecognized key: "waitMs"' }]), 'waitMs'),
    ).toBeNull();
    expect(limitFromProblem(problem('mode: x', [{ name: 'mode', reason: 'must be 1 of 5' }]), 'waitMs')).toBeNull();
  });
});

describe('CoordinatorProblem.reason', () => {
  it('is the detail, or the status', () => {
    expect(new CoordinatorProblem('POST /simulations', 400, { detail: 'tasks: too many' }).reason).toBe('tasks: too many');
    expect(new CoordinatorProblem('POST /queue-runs', 502, 'Bad gateway').reason).toBe('HTTP 502');
  });
});
