import type { QueueRunReport, QueueTimelineEntry } from '@concurrency-lab/queue-runs';
import { findElements, parseXml, type XmlElement } from '@concurrency-lab/testing';
import { describe, expect, it } from 'vitest';
import { packWaits, renderQueueTimeline } from './queue-timeline.js';

function entry(seq: number, writtenAtMs: number, readStartedAtMs: number, readerPid: number, item = `item ${seq}`): QueueTimelineEntry {
  return {
    ...{
      seq,
      item,
      writtenAtMs,
      writerPid: 10,
      writerHost: 'vm',
      readStartedAtMs,
      readAtMs: readStartedAtMs + 300,
      readerPid,
      readerHost: 'vm',
    },
    ...{ queuedMs: readStartedAtMs - writtenAtMs, deliveryCount: 1, reads: 1, handedBack: 0 },
  };
}

/** A report as a queue run makes it; what a chart does not draw is filled with plausible values. */
function report(
  timeline: QueueTimelineEntry[],
  readerStart: QueueRunReport['readerStart'] = 'concurrent',
  transport: QueueRunReport['transport'] = 'jetstream',
): QueueRunReport {
  const totalMs = Math.max(0, ...timeline.map((e) => e.readAtMs + 2));
  const readerPids = [...new Set(timeline.map((e) => e.readerPid))];
  return {
    ...{
      runId: 'q1',
      items: timeline.length,
      transport,
      readerStart,
      writeDelayMs: 300,
      readDelayMs: 300,
      totalMs,
      itemsPerSecond: 3,
      writerPid: 10,
      readerPids,
    },
    readers: readerPids.map((pid) => ({ host: 'vm', pid, items: timeline.filter((e) => e.readerPid === pid).length })),
    ...{
      reads: timeline.length,
      readOnce: timeline.length,
      readAgain: 0,
      duplicateReads: 0,
      redelivered: 0,
      handedBack: 0,
      alreadyStored: 0,
    },
    timeline,
  };
}

const bars = (svg: XmlElement, kind: string) =>
  findElements(svg, (e) => e.attributes['class'] === 'bar' && e.attributes['data-kind'] === kind);
const panel = (svg: XmlElement, lane: string) =>
  findElements(svg, (e) => e.attributes['class'] === 'panel' && e.attributes['data-lane'] === lane)[0]!;

describe('renderQueueTimeline', () => {
  // Two readers share the work; item 3 waits while both are busy.
  const timeline = [entry(1, 5, 12, 21, `<b>"java" & 'co'</b>`), entry(2, 306, 320, 22), entry(3, 607, 630, 21)];
  const text = renderQueueTimeline(report(timeline));
  const svg = parseXml(text);

  it('is a well-formed SVG with a writer, a queue and a readers panel', () => {
    expect(svg.attributes).toMatchObject({ role: 'img', 'data-chart': 'queue', 'data-run-id': 'q1' });
    expect(findElements(svg, (e) => e.attributes['class'] === 'panel').map((p) => p.attributes['data-lane'])).toEqual([
      'writer',
      'queue',
      'readers',
    ]);
    expect(text).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('draws each item written, its wait in the queue from written to read-start, and its read', () => {
    expect(bars(svg, 'write').map((bar) => bar.attributes['data-seq'])).toEqual(['1', '2', '3']);
    const waits = bars(svg, 'wait');
    expect(
      waits.map((bar) => [bar.attributes['data-start-ms'], bar.attributes['data-finish-ms'], bar.attributes['data-queued-ms']]),
    ).toEqual([
      ['5', '12', '7'],
      ['306', '320', '14'],
      ['607', '630', '23'],
    ]);
    expect(bars(svg, 'read')).toHaveLength(3);
    // A wait ends where its read starts.
    const read1 = bars(svg, 'read').find((bar) => bar.attributes['data-seq'] === '1')!;
    expect(Number(waits[0]!.attributes['x']) + Number(waits[0]!.attributes['width'])).toBeCloseTo(Number(read1.attributes['x']), 0);
  });

  it('gives each reader process its own lane and colour', () => {
    const readers = panel(svg, 'readers');
    const lanes = new Map<string, string[]>();
    for (const bar of bars(readers, 'read'))
      lanes.set(bar.attributes['y']!, [...(lanes.get(bar.attributes['y']!) ?? []), bar.attributes['data-pid']!]);
    expect([...lanes.values()]).toEqual([['21', '21'], ['22']]);
    const fills = new Set(bars(readers, 'read').map((bar) => `${bar.attributes['data-pid']}=${bar.attributes['fill']}`));
    expect(fills.size).toBe(2);
    expect(findElements(readers, (e) => e.attributes['class'] === 'legend-entry').map((e) => e.children[1]?.text)).toEqual([
      'reader pid 21',
      'reader pid 22',
    ]);
  });

  it("escapes the callers' items", () => {
    expect(text).not.toContain('<b>');
    expect(bars(svg, 'read')[0]?.attributes['data-item']).toBe(`<b>"java" & 'co'</b>`);
  });

  it('marks the total in every panel', () => {
    const totals = findElements(svg, (e) => e.attributes['data-marker'] === 'total').map((m) => m.attributes['data-ms']);
    expect(totals).toEqual(['932', '932', '932']);
  });

  it("stacks waits that overlap: in the lesson's order every item waits at once", () => {
    const lesson = [entry(1, 1, 607, 21), entry(2, 302, 912, 21), entry(3, 603, 1214, 21)];
    const svg = parseXml(renderQueueTimeline(report(lesson, 'after-writer')));
    expect(new Set(bars(svg, 'wait').map((bar) => bar.attributes['y'])).size).toBe(3);
    expect(panel(svg, 'queue').children[1]?.text).toContain('at most 3 waiting at once');
  });

  it('draws a run with no timeline without failing', () => {
    const svg = parseXml(renderQueueTimeline({ ...report([], 'concurrent', 'core'), runId: 'q0', itemsPerSecond: 0 }));
    expect(findElements(svg, (e) => e.attributes['class'] === 'bar')).toHaveLength(0);
  });
});

describe('packWaits', () => {
  it('uses one row while waits do not overlap, and a row per item waiting at once', () => {
    expect(packWaits([entry(1, 0, 10, 1), entry(2, 10, 20, 1), entry(3, 30, 40, 1)]).map((row) => row.map((e) => e.seq))).toEqual([
      [1, 2, 3],
    ]);
    expect(packWaits([entry(1, 0, 100, 1), entry(2, 10, 50, 1), entry(3, 60, 70, 1)]).map((row) => row.map((e) => e.seq))).toEqual([
      [1],
      [2, 3],
    ]);
  });
});
