import { encodeMessage } from '@concurrency-lab/nats';
import { describe, expect, it } from 'vitest';
import { decodeReadBatch, readBatchSchema } from './messages.js';

const read = {
  seq: 1,
  item: 'a',
  writtenAt: 1_700_000_000_000.5,
  writerPid: 42,
  writerHost: 'host',
  readStartedAt: 1_700_000_000_001.25,
  readAt: 1_700_000_000_001.5,
  deliveryCount: 1,
};
const good = { runId: '0b7f3c7e-2f0e-4c55-9a43-6f1b0c1d2e3f', readerPid: 7, readerHost: 'reader', reads: [read, { ...read, seq: 2 }] };

/** What the schema makes of a body: the report, or the message of the error it throws. */
function bySchema(body: unknown): unknown {
  const parsed = readBatchSchema.safeParse(body);
  return parsed.success ? parsed.data : parsed.error.message;
}

function byQuickDecode(body: unknown): unknown {
  try {
    return decodeReadBatch(encodeMessage(body));
  } catch (error) {
    return (error as Error).message;
  }
}

describe('decodeReadBatch', () => {
  const cases: [string, unknown][] = [
    ['a good report', good],
    ['unknown fields (dropped)', { ...good, extra: 1, reads: [{ ...read, extra: 2 }] }],
    ['items handed back', { ...good, reads: [], handedBack: [3, 4] }],
    ['reads and items handed back', { ...good, handedBack: [3] }],
    ['neither reads nor items handed back', { ...good, reads: [] }],
    ['an empty hand-back and no reads', { ...good, reads: [], handedBack: [] }],
    ['a hand-back of seq 0', { ...good, handedBack: [0] }],
    ['a run id that is no uuid', { ...good, runId: 'not-a-uuid' }],
    ['reader pid 0', { ...good, readerPid: 0 }],
    ['a reader host of 256 characters', { ...good, readerHost: 'h'.repeat(256) }],
    ['reads that are no array', { ...good, reads: {} }],
    ['a read of seq 0', { ...good, reads: [read, { ...read, seq: 0 }] }],
    ['a read with an empty item', { ...good, reads: [{ ...read, item: '' }] }],
    ['a read with a negative readAt', { ...good, reads: [{ ...read, readAt: -1 }] }],
    ['a read with deliveryCount 0', { ...good, reads: [{ ...read, deliveryCount: 0 }] }],
    ['a read with no writer host', { ...good, reads: [{ ...read, writerHost: undefined }] }],
    ['a read that is null', { ...good, reads: [null] }],
    ['null', null],
    ['an array', [good]],
  ];
  it.each(cases)('decodes %s exactly as the schema does', (_, body) => {
    expect(byQuickDecode(body)).toEqual(bySchema(body));
  });
});
