import { describe, expect, it } from 'vitest';
import { judgeTargets, parseQueryVector, parseTargets, type ScrapeTarget } from './prometheus.js';

/** One active target as Prometheus 2.53 answers it, trimmed to what matters. */
function active(job: string, instance: string, health: string, lastError = '') {
  return {
    discoveredLabels: { __address__: instance, __meta_dns_name: job, job },
    labels: { instance, job },
    scrapePool: job,
    scrapeUrl: `http://${instance}/metrics`,
    lastError,
    lastScrape: '2026-12-02T17:30:00.000Z',
    lastScrapeDuration: 0.004,
    health,
    scrapeInterval: '5s',
    scrapeTimeout: '4s',
  };
}
const answer = (activeTargets: unknown[]) => ({ status: 'success', data: { activeTargets, droppedTargets: [], droppedTargetCounts: {} } });
const target = (job: string, instance: string, health = 'up', lastError = ''): ScrapeTarget => ({ job, instance, health, lastError });

describe('parseTargets', () => {
  it('reads each active target: its job, instance, health and last error', () => {
    const targets = parseTargets(
      answer([
        active('coordinator', '172.18.0.3:3000', 'up'),
        active(
          'reader',
          '172.18.0.7:3002',
          'down',
          'Get "http://172.18.0.7:3002/metrics": dial tcp 172.18.0.7:3002: connect: connection refused',
        ),
        active('reader', '172.18.0.8:3002', 'unknown'),
      ]),
    );
    expect(targets).toEqual([
      target('coordinator', '172.18.0.3:3000'),
      target(
        'reader',
        '172.18.0.7:3002',
        'down',
        'Get "http://172.18.0.7:3002/metrics": dial tcp 172.18.0.7:3002: connect: connection refused',
      ),
      target('reader', '172.18.0.8:3002', 'unknown'),
    ]);
  });

  it("refuses an error answer with Prometheus's reason, and another shape", () => {
    expect(() => parseTargets({ status: 'error', errorType: 'bad_data', error: 'invalid state' })).toThrow(/status error: invalid state/);
    expect(() => parseTargets({ status: 'success', data: {} })).toThrow(/no activeTargets/);
    expect(() => parseTargets('<html>')).toThrow(/not a JSON object/);
  });
});

describe('judgeTargets', () => {
  const expected = { coordinator: 1, writer: 1, reader: 2, downloader: 2 };
  const all = [
    target('coordinator', 'a:3000'),
    target('writer', 'b:3001'),
    target('reader', 'c:3002'),
    target('reader', 'd:3002'),
    target('downloader', 'e:3003'),
    target('downloader', 'f:3003'),
  ];

  it('is ready when every job has each of its replicas up', () => {
    expect(judgeTargets(all, expected)).toEqual({
      ready: true,
      summary: 'coordinator 1/1 up; writer 1/1 up; reader 2/2 up; downloader 2/2 up',
      notUp: [],
    });
  });

  it('names each target not up, with why, and each job short of replicas', () => {
    const verdict = judgeTargets(
      [
        target('coordinator', 'a:3000'),
        target('reader', 'c:3002', 'down', 'connection refused'),
        target('reader', 'd:3002', 'unknown'),
        target('downloader', 'e:3003'),
      ],
      expected,
    );
    expect(verdict.ready).toBe(false);
    expect(verdict.summary).toBe('coordinator 1/1 up; writer 0/1 up; reader 0/2 up; downloader 1/2 up');
    expect(verdict.notUp).toEqual([
      'writer: 0 of 1 found',
      'reader c:3002 down (connection refused)',
      'reader d:3002 unknown',
      'downloader: 1 of 2 found',
    ]);
  });

  it('is not ready with more targets than replicas: a removed container still listed until the next DNS refresh', () => {
    const verdict = judgeTargets([...all, target('reader', 'g:3002')], expected);
    expect(verdict.ready).toBe(false);
    expect(verdict.notUp).toEqual(['reader: 3 of 2 found']);
  });

  it('ignores jobs it was not asked about', () => {
    expect(judgeTargets([...all, target('prometheus', 'localhost:9090', 'down')], expected).ready).toBe(true);
  });
});

describe('parseQueryVector', () => {
  it("reads each sample's labels and value", () => {
    const samples = parseQueryVector({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          {
            metric: { __name__: 'http_request_duration_seconds_count', job: 'coordinator', method: 'GET', route: '/simulations' },
            value: [1764696600.123, '3'],
          },
        ],
      },
    });
    expect(samples).toEqual([
      {
        labels: { __name__: 'http_request_duration_seconds_count', job: 'coordinator', method: 'GET', route: '/simulations' },
        value: 3,
      },
    ]);
  });

  it('reads an empty result as no samples, and refuses a query error or another result type', () => {
    expect(parseQueryVector({ status: 'success', data: { resultType: 'vector', result: [] } })).toEqual([]);
    expect(() => parseQueryVector({ status: 'error', error: 'parse error at char 5' })).toThrow(/parse error at char 5/);
    expect(() => parseQueryVector({ status: 'success', data: { resultType: 'matrix', result: [] } })).toThrow(/not a vector \(matrix\)/);
  });
});
