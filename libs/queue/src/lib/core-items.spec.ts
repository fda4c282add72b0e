import { describe, expect, it } from 'vitest';
import { coreItemSubject, decodeCoreItem, encodeCoreItem, MalformedCoreItemError } from './core-items.js';
import type { QueueItem } from './messages.js';
import { runIdOfItemSubject } from './subjects.js';

const item: QueueItem = {
  runId: '0b7f3c7e-2f0e-4c55-9a43-6f1b0c1d2e3f',
  seq: 12,
  total: 4_000_000_000,
  item: 'a ✓ 😀',
  readDelayMs: 250,
  writtenAt: 1_764_694_000_123.457,
  writerPid: 4_000_001,
  writerHost: 'hôte-1',
};
const roundTrip = (value: QueueItem) => decodeCoreItem(coreItemSubject(value.runId, value.seq), encodeCoreItem(value));
const errorOf = (subject: string, data: Uint8Array) => {
  try {
    decodeCoreItem(subject, data);
  } catch (error) {
    return error;
  }
  throw new Error('decoded');
};

describe('the core wire format', () => {
  it('carries every field of an item unchanged: the run and seq in the subject, the rest in the payload', () => {
    expect(roundTrip(item)).toEqual(item);
    expect(roundTrip({ ...item, writerHost: 'h'.repeat(255), item: 'x'.repeat(70_000), readDelayMs: 0, writtenAt: 0 })).toEqual({
      ...item,
      writerHost: 'h'.repeat(255),
      item: 'x'.repeat(70_000),
      readDelayMs: 0,
      writtenAt: 0,
    });
    expect(coreItemSubject(item.runId, item.seq)).toBe(`lab.core.items.${item.runId}.12`);
    expect(runIdOfItemSubject(coreItemSubject(item.runId, item.seq))).toBe(item.runId);
  });

  it('tells a host that changes between items (the host is remembered, not assumed)', () => {
    expect(roundTrip({ ...item, writerHost: 'a' }).writerHost).toBe('a');
    expect(roundTrip({ ...item, writerHost: 'b' }).writerHost).toBe('b');
    expect(roundTrip({ ...item, writerHost: 'a' }).writerHost).toBe('a');
  });

  it('checks the run id of every item, not only the first of a run', () => {
    const payload = encodeCoreItem(item);
    expect(decodeCoreItem(coreItemSubject(item.runId, 1), payload).runId).toBe(item.runId);
    expect(errorOf('lab.core.items.0b7f3c7e-2f0e-9c55-9a43-6f1b0c1d2e3f.1', payload)).toBeInstanceOf(MalformedCoreItemError);
    expect(decodeCoreItem(coreItemSubject(item.runId, 1), payload).runId).toBe(item.runId);
  });

  const payload = encodeCoreItem(item);
  const withByte = (at: number, value: number) => Uint8Array.from(payload, (byte, i) => (i === at ? value : byte));
  const hostEnd = 23 + Buffer.byteLength(item.writerHost);
  const cases: [string, string, Uint8Array][] = [
    ['a subject without a seq', `lab.core.items.${item.runId}`, payload],
    ['seq 0', coreItemSubject(item.runId, 0), payload],
    ['a seq that is no integer', `lab.core.items.${item.runId}.1.5`, payload],
    ['a seq past u32', coreItemSubject(item.runId, 2 ** 32), payload],
    ['another root', `lab.queue.items.${item.runId}.1`, payload],
    ['a run id that is no UUID', 'lab.core.items.not-a-uuid.1', payload],
    ['an empty payload', coreItemSubject(item.runId, 1), new Uint8Array(0)],
    ['a JSON item', coreItemSubject(item.runId, 1), new TextEncoder().encode(JSON.stringify(item))],
    ['another format version', coreItemSubject(item.runId, 1), withByte(0, 2)],
    ['total 0', coreItemSubject(item.runId, 1), Uint8Array.from(payload, (b, i) => (i >= 1 && i <= 4 ? 0 : b))],
    ['pid 0', coreItemSubject(item.runId, 1), Uint8Array.from(payload, (b, i) => (i >= 9 && i <= 12 ? 0 : b))],
    ['a negative writtenAt', coreItemSubject(item.runId, 1), encodeCoreItem({ ...item, writtenAt: -1 })],
    ['a writtenAt that is NaN', coreItemSubject(item.runId, 1), encodeCoreItem({ ...item, writtenAt: Number.NaN })],
    ['an empty host', coreItemSubject(item.runId, 1), encodeCoreItem({ ...item, writerHost: '' })],
    ['a host of 256 characters', coreItemSubject(item.runId, 1), encodeCoreItem({ ...item, writerHost: 'h'.repeat(256) })],
    ['a host longer than the payload', coreItemSubject(item.runId, 1), withByte(22, 0xff)],
    ['no item', coreItemSubject(item.runId, 1), payload.subarray(0, hostEnd)],
    ['an item that is not UTF-8', coreItemSubject(item.runId, 1), withByte(hostEnd, 0xff)],
  ];
  it.each(cases)('rejects %s with a MalformedCoreItemError', (_, subject, data) => {
    expect(errorOf(subject, data)).toBeInstanceOf(MalformedCoreItemError);
  });
});
