import { describe, expect, it } from 'vitest';
import { parseClusterSmokeOptions } from './cluster-options.js';

describe('parseClusterSmokeOptions', () => {
  it('defaults: free ports, 80 items, 30 min overall, 3 min per wait, a fresh project, compose detected', () => {
    const options = parseClusterSmokeOptions([]);
    expect(options).toMatchObject({ port: 0, items: 80, timeoutMs: 1_800_000, healthTimeoutMs: 180_000, compose: undefined, help: false });
    expect(options.project).toMatch(/^clab-cluster-[a-z0-9]+-[0-9a-f]{6}$/);
    expect(parseClusterSmokeOptions([]).project).not.toBe(options.project);
  });

  it('reads every option', () => {
    const options = parseClusterSmokeOptions([
      '--port',
      '3300',
      '--items',
      '40',
      '--timeout',
      '60',
      '--health-timeout',
      '20',
      '--project',
      'my_cluster-1',
      '--compose',
      ' docker   compose ',
      '-h',
    ]);
    expect(options).toEqual({
      port: 3300,
      items: 40,
      timeoutMs: 60_000,
      healthTimeoutMs: 20_000,
      project: 'my_cluster-1',
      compose: ['docker', 'compose'],
      help: true,
    });
  });

  it.each([
    [['--items', '10'], /--items takes a whole number from 20 to 2000/],
    [['--port', '70000'], /--port/],
    [['--timeout', '1.5'], /--timeout/],
    [['--project', 'Upper'], /--project must be lowercase/],
    [['--compose', '  '], /--compose must name a command/],
    [['--readers', '3'], /Unknown option '--readers'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseClusterSmokeOptions(argv)).toThrow(message);
  });
});
