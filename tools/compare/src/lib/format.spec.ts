import { buildCompareReport, buildRunReport, type RunMode } from '@concurrency-lab/simulation';
import { describe, expect, it } from 'vitest';
import { formatComparison } from './format.js';
import { parseCompareOptions } from './options.js';

const run = (mode: RunMode, totalMs: number, pids: number[], threadIds: number[] = [0, 0]) =>
  buildRunReport({
    runId: 'r',
    mode,
    workload: 'io',
    seed: 5,
    hostCores: 2,
    parallelism: mode === 'sequential' ? 1 : 2,
    totalMs,
    tasks: [
      { name: 'a.pdf', durationMs: 500, host: 'vm', pid: pids[0]!, threadId: threadIds[0]!, waitMs: 0, startMs: 0, finishMs: 500 },
      { name: 'b.avi', durationMs: 700, host: 'vm', pid: pids[1]!, threadId: threadIds[1]!, waitMs: 0, startMs: 1, finishMs: 701 },
    ],
  });

describe('formatComparison', () => {
  it('prints a row per mode with speedup, efficiency and where the tasks ran, then the lesson-style lines', () => {
    const report = buildCompareReport([
      run('sequential', 1200, [process.pid, process.pid]),
      run('processes', 800, [11, 12]),
      run('threads', 710, [process.pid, process.pid], [1, 2]),
    ]);
    const text = formatComparison(report);
    expect(text).toContain('2 io tasks (seed 5), 1200 ms of work in all, on 2 cores');
    expect(text).toMatch(/sequential\s+1200\.0 ms\s+1200\.0 ms\s+0\.0 ms\s+1\.00x\s+100%\s+coordinator process/);
    expect(text).toMatch(/processes\s+800\.0 ms\s+700\.0 ms\s+100\.0 ms\s+1\.50x\s+75%\s+2 processes/);
    expect(text).toMatch(/threads .* coordinator process, 2 threads/);
    expect(text).toContain('  b.avi: pid 12, 1.0 -> 701.0 ms (700 ms of work)');
  });
});

describe('parseCompareOptions', () => {
  it("defaults to the lesson's files at a tenth of their length", () => {
    expect(parseCompareOptions([], {})).toEqual({
      url: 'http://127.0.0.1:3000',
      body: { mode: 'compare', workload: 'io', scale: 0.1, waitMs: 120_000 },
      help: false,
    });
  });

  it('turns flags into the request body', () => {
    const options = parseCompareOptions(
      [
        '--modes',
        'async,threads',
        '--workload',
        'cpu',
        '--count',
        '8',
        '--min-ms',
        '100',
        '--max-ms',
        '200',
        '--seed',
        '3',
        '--url',
        'http://h:1/',
      ],
      {},
    );
    expect(options.url).toBe('http://h:1');
    expect(options.body).toEqual({
      mode: 'compare',
      modes: ['async', 'threads'],
      workload: 'cpu',
      count: 8,
      minMs: 100,
      maxMs: 200,
      seed: 3,
      scale: 1,
      waitMs: 120_000,
    });
  });

  it('rejects a number flag that is not a number', () => {
    expect(() => parseCompareOptions(['--count', 'many'], {})).toThrow('--count takes a number');
  });
});
