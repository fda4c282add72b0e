import { describe, expect, it } from 'vitest';
import { isTaskAssignment, isTaskMessage } from './child-protocol.js';

describe('task process protocol', () => {
  it('accepts well-formed started and finished messages', () => {
    expect(isTaskMessage({ type: 'started', pid: 10, threadId: 0, startedAt: 1 })).toBe(true);
    expect(isTaskMessage({ type: 'finished', pid: 10, threadId: 2, startedAt: 1, finishedAt: 5 })).toBe(true);
  });

  it.each([
    [null],
    [{ type: 'finished', pid: 10, threadId: 0, startedAt: 1 }],
    [{ type: 'finished', pid: 10, threadId: 0, startedAt: 1, finishedAt: Number.NaN }],
    [{ type: 'started', pid: 10, startedAt: 1 }],
    [{ type: 'started', pid: '10', threadId: 0, startedAt: 1 }],
    [{ type: 'done', pid: 10, threadId: 0, startedAt: 1, finishedAt: 2 }],
  ])('rejects %j', (message) => {
    expect(isTaskMessage(message)).toBe(false);
  });

  it('rejects an assignment without a usable task', () => {
    const good = {
      runId: 'r',
      mode: 'processes',
      index: 0,
      task: { name: 'a', durationMs: 5 },
      workload: 'io',
      iterationsPerMs: 1,
      service: 's',
      logLevel: 'info',
      logFormat: 'json',
    };
    expect(isTaskAssignment(good)).toBe(true);
    expect(isTaskAssignment({ ...good, task: { name: 'a', durationMs: Number.POSITIVE_INFINITY } })).toBe(false);
    expect(isTaskAssignment({ ...good, workload: 'gpu' })).toBe(false);
  });
});
