import { z } from 'zod';
import type { ReadRecord } from './messages.js';

/**
 * A report's reads as columns, the form readers send them in: one array per
 * field rather than one object per read, times as whole microseconds after
 * `since`, and each writer named once. About 40 bytes a read instead of 190,
 * and no object to encode or decode per read on either side.
 */
export interface ReadColumns {
  since: number;
  /** [pid, host] of each writer the reads name; `writer` holds indexes into it. */
  writers: [number, string][];
  seq: number[];
  item: string[];
  writer: number[];
  writtenAtUs: number[];
  readStartedAtUs: number[];
  readAtUs: number[];
  deliveryCount: number[];
}

const count = (min: number) => z.number().int().min(min);
const offsets = z.array(z.number().int());

/** The schema of ReadColumns, for a report the quick check turns down: its error says what is wrong. */
export const readColumnsSchema = z
  .object({
    since: z.number().nonnegative(),
    writers: z.array(z.tuple([count(1), z.string().min(1).max(255)])).min(1),
    seq: z.array(count(1)),
    item: z.array(z.string().min(1)),
    writer: z.array(count(0)),
    writtenAtUs: offsets,
    readStartedAtUs: offsets,
    readAtUs: offsets,
    deliveryCount: z.array(count(1)),
  })
  .refine((columns) => expandReadColumns(columns) !== undefined, {
    message: 'columns of different lengths, a writer index out of range or a time before the epoch',
  });

const isInt = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min;
const isWriter = (w: unknown): w is [number, string] =>
  Array.isArray(w) && w.length === 2 && isInt(w[0], 1) && typeof w[1] === 'string' && w[1].length > 0 && w[1].length <= 255;
const arraysOf = (length: number, ...columns: unknown[]): boolean => columns.every((c) => Array.isArray(c) && c.length === length);

/** The reads the columns name, checked as the schema would; undefined when something is off (the schema then says what). */
export function expandReadColumns(value: unknown): ReadRecord[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const columns = value as Record<keyof ReadColumns, unknown[]>;
  const { since, writers, seq } = value as Record<string, unknown>;
  if (typeof since !== 'number' || !(since >= 0 && since < Infinity) || !Array.isArray(seq) || !Array.isArray(writers)) return undefined;
  const n = seq.length;
  const { item, writer, writtenAtUs, readStartedAtUs, readAtUs, deliveryCount } = columns;
  if (
    writers.length === 0 ||
    !writers.every(isWriter) ||
    !arraysOf(n, item, writer, writtenAtUs, readStartedAtUs, readAtUs, deliveryCount)
  ) {
    return undefined;
  }
  // One pass, checking each read as it is built: no callback per value.
  const minUs = -since * 1000;
  const reads: ReadRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const readSeq = seq[i];
    const text = item[i];
    const index = writer[i];
    const writtenUs = writtenAtUs[i];
    const startedUs = readStartedAtUs[i];
    const readUs = readAtUs[i];
    const count = deliveryCount[i];
    const ok =
      isInt(readSeq, 1) &&
      typeof text === 'string' &&
      text.length > 0 &&
      isInt(index, 0) &&
      index < writers.length &&
      isInt(writtenUs, minUs) &&
      isInt(startedUs, minUs) &&
      isInt(readUs, minUs) &&
      isInt(count, 1);
    if (!ok) return undefined;
    const [writerPid, writerHost] = writers[index] as [number, string];
    reads[i] = {
      seq: readSeq,
      item: text,
      writtenAt: since + writtenUs / 1000,
      writerPid,
      writerHost,
      readStartedAt: since + startedUs / 1000,
      readAt: since + readUs / 1000,
      deliveryCount: count,
    };
  }
  return reads;
}

/** Gathers a report's reads into columns as they come, then writes them out as JSON in one go. */
export class ReadColumnsBuilder {
  private since = -1;
  private readonly writers: [number, string][] = [];
  private readonly seq: number[] = [];
  private readonly item: string[] = [];
  private readonly writer: number[] = [];
  private readonly writtenAtUs: number[] = [];
  private readonly readStartedAtUs: number[] = [];
  private readonly readAtUs: number[] = [];
  private readonly deliveryCount: number[] = [];

  get length(): number {
    return this.seq.length;
  }

  /** Adds one read; returns at least a third of the bytes it adds to the JSON (an escaped character takes up to 6). */
  add(read: ReadRecord): number {
    if (this.since < 0) this.since = read.writtenAt;
    const us = (at: number) => Math.round((at - this.since) * 1000);
    this.seq.push(read.seq);
    this.item.push(read.item);
    this.writer.push(this.writerIndex(read.writerPid, read.writerHost));
    this.writtenAtUs.push(us(read.writtenAt));
    this.readStartedAtUs.push(us(read.readStartedAt));
    this.readAtUs.push(us(read.readAt));
    this.deliveryCount.push(read.deliveryCount);
    return 2 * read.item.length + 48;
  }

  toJSON(): string {
    return (
      `{"since":${this.since},"writers":${JSON.stringify(this.writers)},"seq":[${this.seq.join(',')}],"item":${JSON.stringify(this.item)},` +
      `"writer":[${this.writer.join(',')}],"writtenAtUs":[${this.writtenAtUs.join(',')}],"readStartedAtUs":[${this.readStartedAtUs.join(',')}],` +
      `"readAtUs":[${this.readAtUs.join(',')}],"deliveryCount":[${this.deliveryCount.join(',')}]}`
    );
  }

  private writerIndex(pid: number, host: string): number {
    for (let i = 0; i < this.writers.length; i++) {
      const [knownPid, knownHost] = this.writers[i] as [number, string];
      if (knownPid === pid && knownHost === host) return i;
    }
    return this.writers.push([pid, host]) - 1;
  }
}
