import { SIMULATION_LIMITS } from '@concurrency-lab/simulation';
import { describe, expect, it } from 'vitest';
import { SIMULATION_API_LIMITS, simulationBodySchema, simulationLimitsSchema } from './simulation-api.js';

describe('the body of POST /simulations', () => {
  it("defaults to the lesson's run, waiting the default time for its report", () => {
    expect(simulationBodySchema.parse({})).toEqual({ workload: 'io', scale: 1, waitMs: SIMULATION_API_LIMITS.defaultWaitMs });
  });

  it('waits long enough by default for the longest default run: 20 s one after another, 10 s side by side, with room to spare', () => {
    const longestDefaultRunMs = 2 * 10_000 + 10_000;
    expect(SIMULATION_API_LIMITS.defaultWaitMs).toBeGreaterThanOrEqual(longestDefaultRunMs * 1.25);
    expect(SIMULATION_API_LIMITS.defaultWaitMs).toBeLessThanOrEqual(SIMULATION_API_LIMITS.maxWaitMs);
  });

  it.each([
    [{ waitMs: SIMULATION_API_LIMITS.maxWaitMs + 1 }, 'waitMs'],
    [{ waitMs: -1 }, 'waitMs'],
    [{ mode: 'async', modes: ['async'] }, 'modes'], // the engine's checks across fields hold here too
    [{ colour: 'red' }, ''],
  ])('rejects %j at %s', (body, path) => {
    const parsed = simulationBodySchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.')).toBe(path);
  });

  it("shows the engine's limits with the API's own, each described by the limits schema", () => {
    expect(SIMULATION_API_LIMITS).toMatchObject(SIMULATION_LIMITS);
    expect(simulationLimitsSchema.parse(SIMULATION_API_LIMITS)).toEqual(SIMULATION_API_LIMITS);
  });
});
