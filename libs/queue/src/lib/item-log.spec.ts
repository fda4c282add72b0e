import { captureLogs } from '@concurrency-lab/testing';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BurstLog, formatSeqRanges, logItems } from './item-log.js';

const messages = { one: 'item written', many: 'items written' };

describe('formatSeqRanges', () => {
  it('folds runs of sequence numbers into ranges, in order', () => {
    expect(formatSeqRanges([7, 1, 2, 3, 5, 8])).toBe('1-3,5,7-8');
    expect(formatSeqRanges([4])).toBe('4');
    expect(formatSeqRanges([])).toBe('');
  });
});

describe('logItems', () => {
  it('gives a single item a line of its own, with its seq, text and fields', () => {
    const { logger, lines } = captureLogs();
    logItems(logger, [{ seq: 3, item: 'av.avi', queuedMs: 9 }], messages, ({ queuedMs }) => ({ queuedMs }));
    expect(lines).toEqual([expect.objectContaining({ msg: 'item written', seq: 3, item: 'av.avi', queuedMs: 9 })]);
  });

  it('names a burst by its seq ranges and count, in one line', () => {
    const { logger, lines } = captureLogs();
    logItems(
      logger,
      [1, 2, 3, 9].map((seq) => ({ seq, item: `i${seq}` })),
      messages,
    );
    expect(lines).toEqual([expect.objectContaining({ msg: 'items written', seqs: '1-3,9', count: 4 })]);
    expect(lines[0]).not.toHaveProperty('item');
  });
});

describe('BurstLog', () => {
  it('logs what was added in one turn of the event loop as one line, and a later item on its own', async () => {
    const { logger, lines } = captureLogs();
    const log = new BurstLog(logger, messages);
    for (let seq = 1; seq <= 5; seq++) log.add({ seq, item: `i${seq}` });
    expect(lines).toHaveLength(0);
    await nextTurn();
    log.add({ seq: 6, item: 'i6' });
    await nextTurn();
    expect(lines.map((line) => [line.msg, line['seqs'] ?? line['seq']])).toEqual([
      ['items written', '1-5'],
      ['item written', 6],
    ]);
  });

  it('flush() logs at once and leaves nothing behind', async () => {
    const { logger, lines } = captureLogs();
    const log = new BurstLog(logger, messages);
    log.add({ seq: 1, item: 'a' });
    log.flush();
    expect(lines).toHaveLength(1);
    await nextTurn();
    expect(lines).toHaveLength(1);
  });
});
