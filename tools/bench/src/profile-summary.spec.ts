import { describe, expect, it } from 'vitest';
import { formatSummary, packageOf, parseArgs, shortFile, summariseProfile, type CpuProfile } from './profile-summary.js';

const root = '/repo/';
const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });

/**
 * (root) -> handler (apps/coordinator) -> stringify (node_modules/pino) and (idle) beside them.
 * Samples: handler 2x, stringify 3x, idle 1x; each sample lasts until the next (the last until endTime).
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 4] },
    { id: 2, callFrame: frame('handler', 'file:///repo/apps/coordinator/dist/routes/simulations.js', 9), children: [3] },
    { id: 3, callFrame: frame('stringify', 'file:///repo/node_modules/pino/lib/tools.js', 374) },
    { id: 4, callFrame: frame('(idle)', '') },
  ],
  startTime: 0,
  endTime: 600,
  samples: [2, 3, 3, 2, 3, 4],
  timeDeltas: [0, 100, 100, 100, 100, 100],
};

describe('profile summary', () => {
  it('sums self time per function, file and package, each sample lasting until the next', () => {
    const summary = summariseProfile(profile, { root });
    expect(summary.totalUs).toBe(600);
    expect(summary.idleUs).toBe(100);
    expect(summary.functions).toEqual([
      { key: 'stringify node_modules/pino/lib/tools.js:375', selfUs: 300 },
      { key: 'handler apps/coordinator/dist/routes/simulations.js:10', selfUs: 200 },
      { key: '(idle)', selfUs: 100 },
    ]);
    expect(summary.files.map((f) => f.key)).toEqual([
      'node_modules/pino/lib/tools.js',
      'apps/coordinator/dist/routes/simulations.js',
      '(idle)',
    ]);
    expect(summary.packages).toEqual([
      { key: 'pino', selfUs: 300 },
      { key: 'apps/coordinator', selfUs: 200 },
      { key: '(idle)', selfUs: 100 },
    ]);
  });

  it('counts a function with what it called as its total time, and keeps only the top N and entries matching a filter', () => {
    const summary = summariseProfile(profile, { root, top: 1 });
    expect(summary.inclusive).toEqual([{ key: 'handler apps/coordinator/dist/routes/simulations.js:10', selfUs: 500 }]);
    expect(summary.functions).toHaveLength(1);
    expect(summariseProfile(profile, { root, filter: 'pino' }).packages).toEqual([{ key: 'pino', selfUs: 300 }]);
  });

  it('prints each table with the share of the busy time and, given a request count, µs per request', () => {
    const text = formatSummary(summariseProfile(profile, { root }), 2);
    expect(text).toContain('profile 1 ms, busy 1 ms (not idle), 2 requests: 250.0 µs busy per request');
    expect(text).toMatch(/0\.3 ms {2}60\.0% +150\.0 µs\/req {2}pino\n/);
    expect(text).toContain('total time by function (itself and what it called)');
  });

  it('sums several profiles (one per process) and says what one took on average', () => {
    const summary = summariseProfile([profile, profile], { root });
    expect(summary.profiles).toBe(2);
    expect(summary.totalUs).toBe(1200);
    expect(summary.packages[0]).toEqual({ key: 'pino', selfUs: 600 });
    expect(summary.inclusive[0]).toEqual({ key: 'handler apps/coordinator/dist/routes/simulations.js:10', selfUs: 1000 });
    expect(formatSummary(summary)).toContain('(2 profiles; per profile: busy 0.5 ms)');
  });

  it('names packages: scoped ones, projects, Node internals and V8', () => {
    expect(packageOf('node_modules/@nats-io/nats-core/lib/protocol.js')).toBe('@nats-io/nats-core');
    expect(packageOf('node_modules/router/node_modules/debug/src/node.js')).toBe('debug');
    expect(packageOf('libs/http/dist/lib/create-app.js')).toBe('libs/http');
    expect(packageOf('node:_http_outgoing')).toBe('node: (Node.js internals)');
    expect(packageOf(shortFile('', root))).toBe('(v8)');
    expect(shortFile('file:///elsewhere/x.js', root)).toBe('/elsewhere/x.js');
  });

  it('reads its arguments and refuses what it does not know', () => {
    expect(parseArgs(['x.cpuprofile', '--top', '5', '--requests', '1000', '--filter', 'libs/'])).toEqual({
      paths: ['x.cpuprofile'],
      top: 5,
      requests: 1000,
      filter: 'libs/',
    });
    expect(() => parseArgs([])).toThrow(/usage/);
    expect(() => parseArgs(['x', '--top', '0'])).toThrow(/--top takes a whole number/);
    expect(() => parseArgs(['x', '--bogus'])).toThrow(/unknown option --bogus/);
  });
});
