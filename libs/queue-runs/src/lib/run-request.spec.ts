import { describe, expect, it } from 'vitest';
import { LESSON_ITEMS, QUEUE_RUN_LIMITS, queueRunRequestSchema } from './run-request.js';

function firstPath(body: unknown): string | undefined {
  const parsed = queueRunRequestSchema.safeParse(body);
  if (parsed.success) throw new Error('expected a rejection');
  return parsed.error.issues[0]?.path.join('.');
}

describe('queue run request', () => {
  it('takes a retried run id in either case, and keeps it in lower case', () => {
    expect(queueRunRequestSchema.parse({ runId: 'ABCDEF01-2345-4678-9ABC-DEF012345678' }).runId).toBe(
      'abcdef01-2345-4678-9abc-def012345678',
    );
  });

  it('defaults to the lesson: three items, 3 s apart, the reader after the writer', () => {
    expect(queueRunRequestSchema.parse({})).toEqual({
      items: [...LESSON_ITEMS],
      writeDelayMs: 3000,
      readDelayMs: 3000,
      scale: 1,
      transport: 'jetstream',
      readerStart: 'after-writer',
    });
  });

  it.each([
    [{ items: [] }, 'items'],
    [{ items: [''] }, 'items.0'],
    [{ items: [42] }, 'items.0'],
    [{ items: 'av.avi' }, 'items'],
    [{ items: ['x'.repeat(QUEUE_RUN_LIMITS.maxItemLength + 1)] }, 'items.0'],
    [{ writeDelayMs: -1 }, 'writeDelayMs'],
    [{ readDelayMs: 60_001 }, 'readDelayMs'],
    [{ readDelayMs: 'slow' }, 'readDelayMs'],
    [{ scale: 0 }, 'scale'],
    [{ priority: 1 }, ''],
    [{ transport: 'udp' }, 'transport'],
    [{ readerStart: 'later' }, 'readerStart'],
    [{ runId: 'run-1' }, 'runId'],
  ])('rejects %j at %s', (body, path) => {
    expect(firstPath(body)).toBe(path);
  });

  it('bounds the number of items and the estimated duration', () => {
    expect(firstPath({ items: Array.from({ length: QUEUE_RUN_LIMITS.maxItems + 1 }, () => 'x'), writeDelayMs: 0, readDelayMs: 0 })).toBe(
      'items',
    );
    expect(firstPath({ items: Array.from({ length: 200 }, () => 'x') })).toBe('items');
    expect(queueRunRequestSchema.safeParse({ items: Array.from({ length: 200 }, () => 'x'), scale: 0.01 }).success).toBe(true);
  });
});
