import { describe, expect, it } from 'vitest';
import { CASE_NAMES } from './cases/registry.js';
import { parseOptions, planFor } from './options.js';

describe('parseOptions', () => {
  it('defaults to a full run into bench-results', () => {
    expect(parseOptions([], CASE_NAMES)).toEqual({ quick: false, help: false, outDir: 'bench-results', only: [] });
  });

  it('reads --quick, --out and --help', () => {
    expect(parseOptions(['--quick', '--out', 'tmp/b'], CASE_NAMES)).toEqual({ quick: true, help: false, outDir: 'tmp/b', only: [] });
    expect(parseOptions(['-h'], CASE_NAMES).help).toBe(true);
  });

  it('reads --only as a list of case names, and names the cases when one is unknown', () => {
    expect(parseOptions(['--only', 'http, queue'], CASE_NAMES).only).toEqual(['http', 'queue']);
    expect(() => parseOptions(['--only', 'htpp'], CASE_NAMES)).toThrow(/htpp.*the cases are parallel/);
  });

  it('refuses unknown flags', () => {
    expect(() => parseOptions(['--fast'], CASE_NAMES)).toThrow(/fast/);
  });
});

describe('planFor', () => {
  it("the full run covers the issue's counts", () => {
    const plan = planFor(false);
    expect(plan.parallelCounts).toEqual([2, 10, 50, 200]);
    expect(plan.curveCounts).toEqual([1, 10, 100, 1000]);
    expect(plan.queueItems).toBe(10_000);
    expect(plan.httpSeconds).toBe(5);
    expect(plan.loadHealthRequests).toBe(10_000);
    expect(plan.loadSimulations).toBe(1_000);
  });

  it('--quick is a subset, bounded well under a minute of measuring', () => {
    const quick = planFor(true);
    const full = planFor(false);
    expect(quick.parallelCounts.every((c) => full.parallelCounts.includes(c))).toBe(true);
    expect(quick.parallelCounts).toContain(50);
    expect(quick.curveCounts.length).toBeLessThan(full.curveCounts.length);
    expect(quick.httpSeconds).toBe(2);
    expect(quick.loadHealthRequests).toBeLessThan(full.loadHealthRequests);
    expect(quick.loadSimulations).toBeLessThan(full.loadSimulations);
    expect(quick.deadlineMs).toBeLessThan(full.deadlineMs);
  });

  it("keeps every curve point within the coordinator's 120 s sum of durations", () => {
    for (const plan of [planFor(true), planFor(false)]) {
      expect(Math.max(...plan.curveCounts) * plan.curveTaskMs).toBeLessThanOrEqual(120_000);
      expect(plan.sequentialCount * plan.sequentialTaskMs).toBeLessThanOrEqual(120_000);
    }
  });

  it("bounds the bounded load in count and in time, and keeps the simulations within the coordinator's 4 at once", () => {
    for (const plan of [planFor(true), planFor(false)]) {
      expect(plan.loadHealthRequests).toBeGreaterThanOrEqual(plan.loadHealthConnections);
      expect(plan.loadSimulations).toBeGreaterThanOrEqual(plan.simulationConnections);
      expect(plan.simulationConnections).toBeLessThanOrEqual(4);
      // Four counted runs (coordinator and Express, two routes) at their longest still end well before the deadline.
      expect(4 * plan.loadMaxSeconds * 1000).toBeLessThan(plan.deadlineMs / 2);
    }
  });
});
