import { encodeMessage } from '@concurrency-lab/nats';
import { describe, expect, it } from 'vitest';
import { decodeQueueItem, queueItemSchema } from './messages.js';

const good = {
  runId: '0b7f3c7e-2f0e-4c55-9a43-6f1b0c1d2e3f',
  seq: 1,
  total: 3,
  item: 'a',
  readDelayMs: 0,
  writtenAt: 1_700_000_000_000.5,
  writerPid: 42,
  writerHost: 'host',
};

/** What the schema makes of a body: the item, or the message of the error it throws. */
function bySchema(body: unknown): unknown {
  const parsed = queueItemSchema.safeParse(body);
  return parsed.success ? parsed.data : parsed.error.message;
}

function byQuickDecode(body: unknown): unknown {
  try {
    return decodeQueueItem(encodeMessage(body));
  } catch (error) {
    return (error as Error).message;
  }
}

describe('decodeQueueItem', () => {
  const cases: [string, unknown][] = [
    ['a good item', good],
    ['a good item with an unknown field (dropped)', { ...good, extra: true }],
    ['another run id', { ...good, runId: '1c8e4d8f-3a1f-4d66-8b54-7a2c1d2e3f40' }],
    ['a run id that is no uuid', { ...good, runId: 'not-a-uuid-at-all-but-36-characters!' }],
    ['a run id with a bad version digit', { ...good, runId: '0b7f3c7e-2f0e-9c55-9a43-6f1b0c1d2e3f' }],
    ['seq 0', { ...good, seq: 0 }],
    ['a fractional seq', { ...good, seq: 1.5 }],
    ['a seq as a string', { ...good, seq: '1' }],
    ['total missing', { ...good, total: undefined }],
    ['an empty item', { ...good, item: '' }],
    ['a negative read delay', { ...good, readDelayMs: -1 }],
    ['a negative writtenAt', { ...good, writtenAt: -1 }],
    ['pid 0', { ...good, writerPid: 0 }],
    ['an empty host', { ...good, writerHost: '' }],
    ['a host of 256 characters', { ...good, writerHost: 'h'.repeat(256) }],
    ['a host of 255 characters', { ...good, writerHost: 'h'.repeat(255) }],
    ['an array', [good]],
    ['null', null],
    ['a number', 7],
  ];
  it.each(cases)('decodes %s exactly as the schema does', (_, body) => {
    expect(byQuickDecode(body)).toEqual(bySchema(body));
  });

  it('checks the run id of every item, not only the first of a run', () => {
    expect(decodeQueueItem(encodeMessage(good)).runId).toBe(good.runId);
    expect(() => decodeQueueItem(encodeMessage({ ...good, runId: 'x' }))).toThrow();
    expect(decodeQueueItem(encodeMessage(good)).runId).toBe(good.runId);
  });

  it('throws on a body that is not JSON', () => {
    expect(() => decodeQueueItem(new TextEncoder().encode('{nope'))).toThrow(SyntaxError);
  });
});
