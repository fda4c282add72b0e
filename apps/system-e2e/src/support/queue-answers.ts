import type { LogLine } from '@concurrency-lab/testing';
import { expect } from 'vitest';

/** The fields of a queue run's timeline entry the specs look at. */
export type Entry = { seq: number; item: string; deliveryCount: number; readerPid: number; reads: number; handedBack: number };

export const items = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);

/** Each item once, all of them, in sequence order. */
export function expectEveryItemOnce(timeline: Entry[], expected: string[]) {
  expect(timeline.map((entry) => entry.item)).toEqual(expected);
  expect(new Set(timeline.map((entry) => entry.seq)).size).toBe(expected.length);
}

/** "1-3,5" back to [1, 2, 3, 5]. */
export function parseSeqRanges(ranges: string): number[] {
  return ranges.split(',').flatMap((range) => {
    const [from, to = from] = range.split('-').map(Number);
    return Array.from({ length: (to as number) - (from as number) + 1 }, (_, i) => (from as number) + i);
  });
}

/** How many times the readers' logs say each item of a run was read: "item read" lines name one seq, "items read" lines a range. */
export function readsLogged(lines: LogLine[], runId: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of lines) {
    if (line['runId'] !== runId) continue;
    const seqs = line.msg === 'item read' ? [Number(line['seq'])] : line.msg === 'items read' ? parseSeqRanges(String(line['seqs'])) : [];
    for (const seq of seqs) counts.set(seq, (counts.get(seq) ?? 0) + 1);
  }
  return counts;
}
