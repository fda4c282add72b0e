import { describe, expect, it } from 'vitest';
import { judgeHealth, parseInspect, type ContainerState } from './health.js';

const PROJECT = 'clab-smoke-x1-abc123';

/** One `docker inspect` entry, trimmed to what is read, as Compose v1 names and labels it. */
function inspected(service: string, number: number, state: Record<string, unknown>, { restarts = 0, separator = '_' } = {}) {
  return {
    Id: `${service}${number}`.padEnd(64, '0'),
    Name: `/${PROJECT}${separator}${service}${separator}${number}`,
    RestartCount: restarts,
    State: { Status: 'running', Running: true, ExitCode: 0, ...state },
    Config: {
      Image: `${PROJECT}_${service}`,
      Labels: {
        'com.docker.compose.project': PROJECT,
        'com.docker.compose.service': service,
        'com.docker.compose.container-number': String(number),
      },
    },
  };
}
const health = (status: string, output = '') => ({
  Health: { Status: status, FailingStreak: 0, Log: [{ ExitCode: status === 'unhealthy' ? 1 : 0, Output: output }] },
});

describe('parseInspect', () => {
  it('reads service, number, status, health, exit code and restarts, and names containers as compose logs do', () => {
    const json = JSON.stringify([
      inspected('reader', 2, health('starting')),
      inspected('nats', 1, health('healthy')),
      inspected('writer', 1, { Status: 'exited', Running: false, ExitCode: 1 }, { restarts: 2 }),
      inspected('coordinator', 1, health('unhealthy', 'fetch failed\n')),
    ]);
    expect(parseInspect(json, PROJECT)).toEqual([
      {
        name: 'coordinator_1',
        service: 'coordinator',
        number: 1,
        status: 'running',
        health: 'unhealthy',
        exitCode: 0,
        restartCount: 0,
        lastProbe: 'fetch failed',
      },
      { name: 'nats_1', service: 'nats', number: 1, status: 'running', health: 'healthy', exitCode: 0, restartCount: 0, lastProbe: '' },
      {
        name: 'reader_2',
        service: 'reader',
        number: 2,
        status: 'running',
        health: 'starting',
        exitCode: 0,
        restartCount: 0,
        lastProbe: '',
      },
      {
        name: 'writer_1',
        service: 'writer',
        number: 1,
        status: 'exited',
        health: undefined,
        exitCode: 1,
        restartCount: 2,
        lastProbe: undefined,
      },
    ]);
  });

  it('names Compose v2 containers the v2 way, and skips containers compose did not make', () => {
    const stray = { Name: '/other', State: { Status: 'running' }, Config: { Labels: {} } };
    const parsed = parseInspect(JSON.stringify([inspected('reader', 3, health('healthy'), { separator: '-' }), stray]), PROJECT);
    expect(parsed.map((container) => container.name)).toEqual(['reader-3']);
  });

  it('refuses output that is not a JSON array', () => {
    expect(() => parseInspect('{}', PROJECT)).toThrow(/JSON array/);
    expect(() => parseInspect('Error: No such object', PROJECT)).toThrow();
  });
});

const state = (
  service: string,
  number: number,
  status: string,
  healthStatus: string | undefined,
  more: Partial<ContainerState> = {},
): ContainerState => ({
  name: `${service}_${number}`,
  service,
  number,
  status,
  health: healthStatus,
  exitCode: 0,
  restartCount: 0,
  lastProbe: undefined,
  ...more,
});
const ONE_EACH = { nats: 1, coordinator: 1, writer: 1, reader: 1 };

describe('judgeHealth', () => {
  it('is ready when every expected container runs and is healthy', () => {
    const verdict = judgeHealth(
      ['nats', 'coordinator', 'writer', 'reader'].map((service) => state(service, 1, 'running', 'healthy')),
      ONE_EACH,
    );
    expect(verdict).toEqual({
      ready: true,
      failure: undefined,
      summary: 'nats healthy; coordinator healthy; writer healthy; reader healthy',
    });
  });

  it('counts a running container without a healthcheck as ready', () => {
    expect(judgeHealth([state('nats', 1, 'running', undefined)], { nats: 1 })).toMatchObject({ ready: true, summary: 'nats running' });
  });

  it('waits while containers start, are missing, or fewer than the scale asked for', () => {
    const containers = [
      state('nats', 1, 'running', 'healthy'),
      state('coordinator', 1, 'running', 'starting'),
      state('reader', 1, 'running', 'healthy'),
      state('reader', 2, 'created', undefined),
    ];
    const verdict = judgeHealth(containers, { ...ONE_EACH, reader: 3 });
    expect(verdict.ready).toBe(false);
    expect(verdict.failure).toBeUndefined();
    expect(verdict.summary).toBe('nats healthy; coordinator starting; writer not created; reader 1 healthy, 1 created (2 of 3)');
  });

  it('sums up replicas by state', () => {
    const readers = [
      state('reader', 1, 'running', 'healthy'),
      state('reader', 2, 'running', 'starting'),
      state('reader', 3, 'running', 'healthy'),
    ];
    expect(judgeHealth(readers, { reader: 3 }).summary).toBe('reader 2 healthy, 1 starting');
  });

  it('fails at once on a container that exited, restarted or is unhealthy', () => {
    const containers = [
      state('nats', 1, 'running', 'healthy'),
      state('coordinator', 1, 'running', 'unhealthy', { lastProbe: 'connection refused' }),
      state('writer', 1, 'exited', undefined, { exitCode: 1 }),
      state('reader', 1, 'running', 'starting', { restartCount: 2 }),
    ];
    const verdict = judgeHealth(containers, ONE_EACH);
    expect(verdict.ready).toBe(false);
    expect(verdict.failure).toBe(
      'coordinator_1 is unhealthy (last probe: connection refused); writer_1 exited with code 1; reader_1 restarted 2 time(s): it crashed',
    );
  });

  it('fails on a container caught restarting, and ignores services it was not asked about', () => {
    expect(judgeHealth([state('reader', 1, 'restarting', undefined)], { reader: 1 }).failure).toMatch(/reader_1 restarted once or more/);
    expect(judgeHealth([state('nats', 1, 'running', 'healthy'), state('tool', 1, 'exited', undefined)], { nats: 1 })).toMatchObject({
      ready: true,
      failure: undefined,
    });
  });

  it('is not ready with more containers than asked for', () => {
    const readers = [1, 2, 3].map((n) => state('reader', n, 'running', 'healthy'));
    expect(judgeHealth(readers, { reader: 2 })).toMatchObject({ ready: false, summary: 'reader 3 healthy (3 of 2)' });
  });
});
