import { encodeMessage } from '@concurrency-lab/nats';
import { describe, expect, it } from 'vitest';
import { decodeReadBatch, readBatchSchema, type ReadRecord } from './messages.js';
import { ReadColumnsBuilder } from './read-columns.js';

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

  const columnsOf = (reads: ReadRecord[]) => {
    const builder = new ReadColumnsBuilder();
    for (const one of reads) builder.add(one);
    return JSON.parse(builder.toJSON()) as Record<string, unknown>;
  };
  const inColumns = (reads: ReadRecord[], change: Record<string, unknown> = {}) => ({
    ...good,
    reads: [],
    columns: { ...columnsOf(reads), ...change },
  });
  const twoWriters = [
    read,
    { ...read, seq: 2, item: 'b "q" ✓', writerPid: 43, writerHost: 'other', deliveryCount: 3 },
    { ...read, seq: 3 },
  ];

  it('reads the columns a reader sends as the same reads, to the microsecond', () => {
    const decoded = decodeReadBatch(encodeMessage(inColumns(twoWriters)));
    expect(decoded.reads.map(({ writtenAt, readStartedAt, readAt, ...rest }) => rest)).toEqual(
      twoWriters.map(({ writtenAt, readStartedAt, readAt, ...rest }) => rest),
    );
    decoded.reads.forEach((decodedRead, i) => {
      const sent = twoWriters[i] as ReadRecord;
      for (const key of ['writtenAt', 'readStartedAt', 'readAt'] as const)
        expect(Math.abs(decodedRead[key] - sent[key])).toBeLessThan(0.001);
    });
    expect(JSON.parse(new TextDecoder().decode(encodeMessage(inColumns(twoWriters)))).columns.writers).toEqual([
      [42, 'host'],
      [43, 'other'],
    ]);
  });

  const columnCases: [string, unknown][] = [
    ['reads in columns', inColumns(twoWriters)],
    ['reads in columns beside reads as objects', { ...inColumns(twoWriters), reads: [{ ...read, seq: 9 }] }],
    ['empty columns and no hand-back', inColumns([], { since: 0, writers: [[1, 'w']] })],
    ['empty columns with a hand-back', { ...inColumns([], { since: 0, writers: [[1, 'w']] }), handedBack: [5] }],
    ['columns of different lengths', inColumns(twoWriters, { seq: [1, 2] })],
    ['a writer index out of range', inColumns(twoWriters, { writer: [0, 1, 2] })],
    ['a negative writer index', inColumns(twoWriters, { writer: [0, -1, 0] })],
    ['no writers', inColumns(twoWriters, { writers: [] })],
    [
      'a writer of pid 0',
      inColumns(twoWriters, {
        writers: [
          [0, 'host'],
          [43, 'other'],
        ],
      }),
    ],
    ['a time before the epoch', inColumns(twoWriters, { readAtUs: [0, -2e18, 0] })],
    ['a fractional offset', inColumns(twoWriters, { readAtUs: [0.5, 1, 2] })],
    ['an empty item', inColumns(twoWriters, { item: ['a', '', 'c'] })],
    ['seq 0', inColumns(twoWriters, { seq: [0, 2, 3] })],
    ['deliveryCount 0', inColumns(twoWriters, { deliveryCount: [1, 0, 1] })],
    ['a negative since', inColumns(twoWriters, { since: -1 })],
    ['columns that are no object', { ...good, columns: 'x' }],
  ];
  it.each(columnCases)('decodes %s exactly as the schema does', (_, body) => {
    expect(byQuickDecode(body)).toEqual(bySchema(body));
  });
  it.each([columnCases[2], ...columnCases.slice(4)] as [string, unknown][])('rejects %s', (_, body) => {
    expect(() => decodeReadBatch(encodeMessage(body))).toThrow();
  });
});
