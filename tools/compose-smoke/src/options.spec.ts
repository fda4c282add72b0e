import { describe, expect, it } from 'vitest';
import { parseSmokeOptions, uniqueProjectName } from './options.js';

describe('parseSmokeOptions', () => {
  it('defaults: port 3000, 30 min overall, 3 min per health wait, 3 readers, a fresh project, compose detected', () => {
    const options = parseSmokeOptions([], {});
    expect(options).toMatchObject({
      port: 3000,
      natsPort: 0,
      prometheusPort: 0,
      timeoutMs: 1_800_000,
      healthTimeoutMs: 180_000,
      readers: 3,
      compose: undefined,
      help: false,
    });
    expect(options.project).toMatch(/^clab-smoke-[a-z0-9]+-[0-9a-f]{6}$/);
  });

  it('takes the port from COORDINATOR_PORT, and --port over it; 0 asks for a free one', () => {
    expect(parseSmokeOptions([], { COORDINATOR_PORT: '3100' }).port).toBe(3100);
    expect(parseSmokeOptions(['--port', '3200'], { COORDINATOR_PORT: '3100' }).port).toBe(3200);
    expect(parseSmokeOptions(['--port', '0'], {}).port).toBe(0);
    // NATS on a free port unless told: a local nats-server (npm start) often holds 4222.
    expect(parseSmokeOptions([], { NATS_PORT: '4222' }).natsPort).toBe(0);
    expect(parseSmokeOptions(['--nats-port', '4333'], {}).natsPort).toBe(4333);
    // Prometheus likewise: a free port unless told, whatever PROMETHEUS_PORT says.
    expect(parseSmokeOptions([], { PROMETHEUS_PORT: '9090' }).prometheusPort).toBe(0);
    expect(parseSmokeOptions(['--prometheus-port', '9191'], {}).prometheusPort).toBe(9191);
  });

  it('reads every option', () => {
    const options = parseSmokeOptions(
      ['--timeout', '60', '--health-timeout', '20', '--readers', '2', '--project', 'my_smoke-1', '--compose', ' docker   compose '],
      {},
    );
    expect(options).toMatchObject({
      timeoutMs: 60_000,
      healthTimeoutMs: 20_000,
      readers: 2,
      project: 'my_smoke-1',
      compose: ['docker', 'compose'],
    });
    expect(parseSmokeOptions(['-h'], {}).help).toBe(true);
  });

  it.each([
    [['--port', '70000'], /--port/],
    [['--port', '3e3'], /--port/],
    [['--nats-port', '-1'], /--nats-port/],
    [['--prometheus-port', '65536'], /--prometheus-port/],
    [['--port', ''], /--port/],
    [['--timeout', '5'], /--timeout takes a whole number from 10/],
    [['--readers', '0'], /--readers/],
    [['--readers', '1.5'], /--readers/],
    [['--project', 'My Smoke'], /--project/],
    [['--project', '-x'], /--project/],
    [['--compose', '  '], /--compose/],
    [['--fast'], /fast/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSmokeOptions(argv, {})).toThrow(message);
  });

  it('refuses a COORDINATOR_PORT that is not a port', () => {
    expect(() => parseSmokeOptions([], { COORDINATOR_PORT: 'http' })).toThrow(/--port/);
  });
});

describe('uniqueProjectName', () => {
  it('is a valid compose project name that differs run to run', () => {
    const names = new Set(Array.from({ length: 20 }, () => uniqueProjectName()));
    expect(names.size).toBe(20);
    for (const name of names) expect(name).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
  });

  it('uses the random part given', () => {
    expect(uniqueProjectName(() => 'abc123')).toMatch(/^clab-smoke-[a-z0-9]+-abc123$/);
  });
});
