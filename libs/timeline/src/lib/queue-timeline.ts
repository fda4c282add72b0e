import type { QueueRunReport, QueueTimelineEntry } from '@concurrency-lab/queue-runs';
import { renderGantt, type GanttLegendEntry, type GanttPanel, type GanttRow } from './gantt.js';
import { ColorKeys, WAITING_COLOR } from './palette.js';
import { formatMs } from './svg.js';

const LANE = 18;
/** The queue lane's sub-rows share this much height once there are many. */
const QUEUE_LANE_MAX = 160;

interface Lane {
  key: string;
  host: string;
  pid: number;
  entries: QueueTimelineEntry[];
}

/** Processes in order of first appearance, by host and pid: pids alone repeat across containers. */
function lanesBy(
  timeline: readonly QueueTimelineEntry[],
  host: (e: QueueTimelineEntry) => string,
  pid: (e: QueueTimelineEntry) => number,
  at: (e: QueueTimelineEntry) => number,
): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const entry of [...timeline].sort((a, b) => at(a) - at(b))) {
    const key = `${host(entry)}:${pid(entry)}`;
    const lane = lanes.get(key) ?? { key, host: host(entry), pid: pid(entry), entries: [] };
    lane.entries.push(entry);
    lanes.set(key, lane);
  }
  return [...lanes.values()];
}

/**
 * Puts each wait on the first sub-row where it does not overlap the one
 * before (greedy interval partitioning, which needs the fewest rows): the
 * lane's height is then the most items waiting in the stream at once.
 */
export function packWaits(entries: readonly QueueTimelineEntry[]): QueueTimelineEntry[][] {
  const rows: { endMs: number; entries: QueueTimelineEntry[] }[] = [];
  for (const entry of [...entries].sort((a, b) => a.writtenAtMs - b.writtenAtMs || a.seq - b.seq)) {
    const row = rows.find((candidate) => candidate.endMs <= entry.writtenAtMs);
    if (row) {
      row.entries.push(entry);
      row.endMs = entry.readStartedAtMs;
    } else {
      rows.push({ endMs: entry.readStartedAtMs, entries: [entry] });
    }
  }
  return rows.map((row) => row.entries);
}

const laneName = (lane: Lane, hosts: number) => (hosts > 1 ? `pid ${lane.pid} on ${lane.host}` : `pid ${lane.pid}`);

/**
 * A queue run as lanes on one time axis: the writer's lane with a tick per
 * item written; the queue's lane with each item's wait in the stream, from
 * written to taken by a reader; a lane per reader process with each read.
 */
export function renderQueueTimeline(report: QueueRunReport): string {
  const colors = new ColorKeys();
  const total = { kind: 'total' as const, atMs: report.totalMs, label: `total ${formatMs(report.totalMs)} ms` };
  const writers = lanesBy(
    report.timeline,
    (e) => e.writerHost,
    (e) => e.writerPid,
    (e) => e.writtenAtMs,
  );
  const readers = lanesBy(
    report.timeline,
    (e) => e.readerHost,
    (e) => e.readerPid,
    (e) => e.readStartedAtMs,
  );
  const hosts = new Set([...writers, ...readers].map((lane) => lane.host)).size;

  const writerLegend: GanttLegendEntry[] = [];
  const writerRows: GanttRow[] = writers.map((lane) => {
    const color = colors.colorOf(`writer ${lane.key}`);
    writerLegend.push({ label: `writer ${laneName(lane, hosts)}`, color });
    return {
      label: `writer ${laneName(lane, hosts)}`,
      heightPx: LANE,
      bars: lane.entries.map((entry) => ({
        startMs: entry.writtenAtMs,
        finishMs: entry.writtenAtMs,
        color,
        title: `#${entry.seq} ${entry.item}: written at ${formatMs(entry.writtenAtMs)} ms by pid ${entry.writerPid}`,
        data: { kind: 'write', seq: entry.seq, item: entry.item, pid: entry.writerPid, host: entry.writerHost, 'at-ms': entry.writtenAtMs },
      })),
    };
  });

  const packed = packWaits(report.timeline);
  const subRow = Math.min(LANE, Math.max(0.5, QUEUE_LANE_MAX / Math.max(1, packed.length)));
  const queueRows: GanttRow[] = packed.map((entries, index) => ({
    ...(index === 0 ? { label: 'waiting in the stream' } : {}),
    heightPx: subRow,
    bars: entries.map((entry) => ({
      startMs: entry.writtenAtMs,
      finishMs: entry.readStartedAtMs,
      color: WAITING_COLOR,
      title: `#${entry.seq} ${entry.item}: waited ${formatMs(entry.queuedMs)} ms in the queue, from ${formatMs(entry.writtenAtMs)} to ${formatMs(entry.readStartedAtMs)} ms`,
      data: {
        kind: 'wait',
        seq: entry.seq,
        item: entry.item,
        'queued-ms': entry.queuedMs,
        'start-ms': entry.writtenAtMs,
        'finish-ms': entry.readStartedAtMs,
      },
    })),
  }));

  const readerLegend: GanttLegendEntry[] = [];
  const readerRows: GanttRow[] = readers.map((lane) => {
    const color = colors.colorOf(`reader ${lane.key}`);
    readerLegend.push({ label: `reader ${laneName(lane, hosts)}`, color });
    return {
      label: `reader ${laneName(lane, hosts)}`,
      heightPx: LANE,
      bars: lane.entries.map((entry) => ({
        startMs: entry.readStartedAtMs,
        finishMs: entry.readAtMs,
        color,
        title: `#${entry.seq} ${entry.item}: read by pid ${entry.readerPid} from ${formatMs(entry.readStartedAtMs)} to ${formatMs(entry.readAtMs)} ms, after ${formatMs(entry.queuedMs)} ms in the queue`,
        data: {
          kind: 'read',
          seq: entry.seq,
          item: entry.item,
          pid: entry.readerPid,
          host: entry.readerHost,
          'start-ms': entry.readStartedAtMs,
          'finish-ms': entry.readAtMs,
        },
      })),
    };
  });

  const longestWait = report.timeline.reduce((longest, entry) => Math.max(longest, entry.queuedMs), 0);
  const panels: GanttPanel[] = [
    {
      title: 'writer',
      note: `${report.timeline.length} item${report.timeline.length === 1 ? '' : 's'} written (a tick each); total ${formatMs(report.totalMs)} ms (solid line)`,
      rows: writerRows,
      markers: [total],
      legend: writerLegend,
      emptyText: 'no items',
      data: { lane: 'writer' },
    },
    {
      title: 'queue',
      note: `each item's wait from written to read; longest ${formatMs(longestWait)} ms, at most ${packed.length} waiting at once`,
      rows: queueRows,
      markers: [total],
      legend: [{ label: 'waiting in the stream', color: WAITING_COLOR }],
      emptyText: 'no items',
      data: { lane: 'queue' },
    },
    {
      title: 'readers',
      note: `${readers.length} reader${readers.length === 1 ? '' : 's'}, ${report.itemsPerSecond.toLocaleString('en-US')} items/s end to end`,
      rows: readerRows,
      markers: [total],
      legend: readerLegend,
      emptyText: 'no items',
      data: { lane: 'readers' },
    },
  ];
  return renderGantt({
    title: `Queue run ${report.runId}`,
    description: `${report.items} item${report.items === 1 ? '' : 's'} over ${report.transport}, readers ${report.readerStart === 'after-writer' ? 'started after the writer' : 'reading while the writer writes'}.`,
    axisLabel: 'ms from the start of the run',
    panels,
    data: { chart: 'queue', 'run-id': report.runId, status: 'finished' },
  });
}
