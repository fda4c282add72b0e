import type { CompareReport, RunMode, RunReport, TaskTiming } from '@concurrency-lab/simulation';
import { findElements, parseXml, type XmlElement } from '@concurrency-lab/testing';
import { describe, expect, it } from 'vitest';
import {
  renderSimulationTimeline,
  simulationTimelineFromEvents,
  simulationTimelineFromReport,
  type TaskEvent,
} from './simulation-timeline.js';

const HOSTILE = `<script>alert("x")</script> & 'q'\u0001.pdf`;

/** A report as the engine makes it; what a chart does not draw is filled with plausible values. */
function run(mode: RunMode, tasks: Omit<TaskTiming, 'waitMs'>[], totalMs: number, idealMs: number): RunReport {
  const speedup = tasks.reduce((sum, task) => sum + task.durationMs, 0) / totalMs;
  return {
    ...{ runId: 'r1', mode, workload: 'io', seed: 1, coordinatorPid: 100, hostCores: 2, parallelism: 1 },
    ...{ totalMs, idealMs, overheadMs: totalMs - idealMs, speedup, efficiency: speedup },
    tasks: tasks.map((task) => ({ ...task, waitMs: task.startMs })),
  };
}
const row = (report: RunReport) => {
  const { mode, totalMs, idealMs, overheadMs, parallelism, speedup, efficiency } = report;
  return { mode, totalMs, idealMs, overheadMs, parallelism, speedup, efficiency };
};

const names = [HOSTILE, 'av.avi', 'c.iso'];
const runs = {
  // Listed out of table order: the chart follows the table.
  threads: run(
    'threads',
    names.map((name, i) => ({ name, durationMs: 400, host: 'vm', pid: 100, threadId: 7 + i, startMs: 30 + i, finishMs: 431 + i })),
    440,
    400,
  ),
  sequential: run(
    'sequential',
    names.map((name, i) => ({ name, durationMs: 400, host: 'vm', pid: 100, threadId: 0, startMs: i * 400, finishMs: (i + 1) * 400 })),
    1204.5,
    1200,
  ),
  processes: run(
    'processes',
    names.map((name, i) => ({
      name,
      durationMs: 400,
      host: 'vm',
      pid: 201 + i,
      threadId: 0,
      startMs: 100 + i * 10,
      finishMs: 500 + i * 10,
    })),
    525,
    400,
  ),
};
const compare: CompareReport = {
  ...{ runId: 'r1', mode: 'compare', workload: 'io', seed: 1, coordinatorPid: 100, hostCores: 2 },
  table: [row(runs.sequential), row(runs.processes), row(runs.threads)],
  runs,
};

const bars = (svg: XmlElement) => findElements(svg, (element) => element.name === 'rect' && element.attributes['class'] === 'bar');
const barsOf = (svg: XmlElement, mode: string) => bars(svg).filter((bar) => bar.attributes['data-mode'] === mode);
const panelOf = (svg: XmlElement, mode: string) =>
  findElements(svg, (e) => e.name === 'g' && e.attributes['class'] === 'panel' && e.attributes['data-mode'] === mode)[0]!;
const num = (element: XmlElement, attribute: string) => Number(element.attributes[attribute]);

describe('renderSimulationTimeline, from a finished comparison', () => {
  const text = renderSimulationTimeline(simulationTimelineFromReport(compare));
  const svg = parseXml(text); // throws unless well-formed

  it('is one accessible SVG document saying what it shows', () => {
    expect(svg.name).toBe('svg');
    expect(svg.attributes).toMatchObject({
      xmlns: 'http://www.w3.org/2000/svg',
      role: 'img',
      'data-chart': 'simulation',
      'data-status': 'finished',
      'data-run-id': 'r1',
    });
    expect(svg.children[0]).toMatchObject({ name: 'title', text: 'Simulation r1' });
    expect(svg.children[1]?.name).toBe('desc');
    expect(text).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('draws a panel per mode, in the order of the table, with one bar per task', () => {
    const panels = findElements(svg, (e) => e.attributes['class'] === 'panel').map((panel) => panel.attributes['data-mode']);
    expect(panels).toEqual(['sequential', 'processes', 'threads']);
    for (const mode of panels) {
      expect(barsOf(svg, mode!).map((bar) => bar.attributes['data-task'])).toEqual(['0', '1', '2']);
    }
    expect(bars(svg)).toHaveLength(9);
  });

  it('puts the pid, thread and timing of each task on its bar', () => {
    const processes = barsOf(svg, 'processes');
    expect(processes.map((bar) => bar.attributes['data-pid'])).toEqual(['201', '202', '203']);
    expect(processes[1]?.attributes).toMatchObject({
      'data-thread': '0',
      'data-start-ms': '110',
      'data-finish-ms': '510',
      'data-name': 'av.avi',
    });
    expect(barsOf(svg, 'threads').map((bar) => bar.attributes['data-thread'])).toEqual(['7', '8', '9']);
    expect(processes[1]?.children[0]).toMatchObject({ name: 'title' });
    expect(processes[1]?.children[0]?.text).toContain('pid 202');
  });

  it('colours bars by process, or by thread for worker threads, and keeps a process its colour across panels', () => {
    const fills = (mode: string) => barsOf(svg, mode).map((bar) => bar.attributes['fill']);
    expect(new Set(fills('sequential')).size).toBe(1);
    expect(new Set(fills('processes')).size).toBe(3);
    expect(new Set(fills('threads')).size).toBe(3);
    const legend = (mode: string) =>
      findElements(panelOf(svg, mode), (e) => e.attributes['class'] === 'legend-entry').map((entry) => entry.children[1]?.text);
    expect(legend('sequential')).toEqual(['pid 100']);
    expect(legend('processes')).toEqual(['pid 201', 'pid 202', 'pid 203']);
    expect(legend('threads')).toEqual(['pid 100 thread 7', 'pid 100 thread 8', 'pid 100 thread 9']);
    const swatch = findElements(panelOf(svg, 'processes'), (e) => e.attributes['class'] === 'swatch')[0];
    expect(swatch?.attributes['fill']).toBe(fills('processes')[0]);
  });

  it("marks each mode's total and ideal", () => {
    const markers = (mode: string) =>
      Object.fromEntries(
        findElements(panelOf(svg, mode), (e) => e.attributes['class'] === 'marker').map((m) => [
          m.attributes['data-marker'],
          num(m, 'data-ms'),
        ]),
      );
    expect(markers('sequential')).toEqual({ total: 1204.5, ideal: 1200 });
    expect(markers('processes')).toEqual({ total: 525, ideal: 400 });
    expect(panelOf(svg, 'processes').children[1]?.text).toContain('total 525 ms');
  });

  it('draws every mode on one time axis, bars where their times say', () => {
    const sequential = barsOf(svg, 'sequential');
    const [first, second] = [sequential[0]!, sequential[1]!];
    expect(num(first, 'x')).toBe(180); // the plot's left edge: 0 ms
    expect(num(second, 'x')).toBeCloseTo(num(first, 'x') + num(first, 'width'), 0); // starts where the first ended
    const processes = barsOf(svg, 'processes')[0]!;
    // 400 ms of work is as wide in every panel: one scale for all.
    expect(num(processes, 'width')).toBeCloseTo(num(first, 'width'), 0);
    for (const bar of bars(svg)) expect(num(bar, 'x') + num(bar, 'width')).toBeLessThanOrEqual(960 - 170 + 0.1);
  });

  it("escapes the callers' file names and keeps them readable", () => {
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('\u0001');
    const hostile = barsOf(svg, 'processes')[0]!;
    expect(hostile.attributes['data-name']).toBe(HOSTILE.replace('\u0001', '\uFFFD'));
    const labels = findElements(panelOf(svg, 'processes'), (e) => e.name === 'text').map((e) => e.text);
    // The row label: the name, decoded back intact, cut to fit the label column.
    const label = labels.find((l) => l.startsWith('<script>alert("x")</script>'));
    expect(label).toMatch(/…$/);
    expect(Array.from(label!).length).toBeLessThanOrEqual(28);
  });
});

describe('renderSimulationTimeline, other shapes', () => {
  it('draws a single-mode report', () => {
    const report = run('pool', [{ name: 'a', durationMs: 10, host: 'vm', pid: 300, threadId: 0, startMs: 0.5, finishMs: 10.7 }], 11, 10);
    const svg = parseXml(renderSimulationTimeline(simulationTimelineFromReport(report)));
    expect(barsOf(svg, 'pool')).toHaveLength(1);
    expect(findElements(svg, (e) => e.attributes['class'] === 'panel')).toHaveLength(1);
  });

  it('draws a running run from its events: finished bars, open bars, and rows still waiting', () => {
    const event = (type: TaskEvent['type'], mode: RunMode, index: number, atMs: number): TaskEvent => ({
      type,
      runId: 'r2',
      mode,
      index,
      name: `t${index}`,
      host: 'vm',
      pid: 100,
      threadId: 0,
      atMs,
    });
    const timeline = simulationTimelineFromEvents({ runId: 'r2', modes: ['sequential', 'async'], taskCount: 3, workload: 'io' }, [
      event('task-started', 'sequential', 0, 0),
      event('task-finished', 'sequential', 0, 300),
      event('task-started', 'sequential', 1, 301),
      event('task-started', 'threads', 0, 5), // not a mode of this run
    ]);
    const svg = parseXml(renderSimulationTimeline(timeline));
    expect(svg.attributes['data-status']).toBe('running');
    const sequential = barsOf(svg, 'sequential');
    expect(sequential.map((bar) => bar.attributes['data-state'])).toEqual([undefined, 'running']);
    expect(sequential[1]?.attributes['data-finish-ms']).toBeUndefined();
    expect(barsOf(svg, 'async')).toHaveLength(0);
    const asyncTexts = findElements(panelOf(svg, 'async'), (e) => e.name === 'text').map((e) => e.text);
    expect(asyncTexts).toContain('no task has started yet');
    expect(asyncTexts).toContain('waiting to start');
    expect(findElements(panelOf(svg, 'sequential'), (e) => e.name === 'text').map((e) => e.text)).toContain('task 3 (waiting)');
    expect(findElements(svg, (e) => e.attributes['class'] === 'marker')).toHaveLength(0); // totals are known at the end only
  });

  it('names the host beside the pid when a mode ran on several hosts (pids repeat across containers)', () => {
    const tasks = ['a', 'b', 'c'].map((name, i) => ({
      name,
      durationMs: 100,
      host: i === 2 ? 'box-2' : 'box-1',
      pid: 7,
      threadId: 0,
      startMs: 0,
      finishMs: 100,
    }));
    const svg = parseXml(renderSimulationTimeline(simulationTimelineFromReport(run('distributed', tasks, 110, 100))));
    const bars = barsOf(svg, 'distributed');
    expect(bars.map((bar) => bar.attributes['data-host'])).toEqual(['box-1', 'box-1', 'box-2']);
    expect(bars[2]?.children[0]?.text).toContain('pid 7 on box-2');
    expect(new Set(bars.map((bar) => bar.attributes['fill'])).size).toBe(2);
    expect(panelOf(svg, 'distributed').children[1]?.text).toContain('2 processes on 2 hosts');
  });

  it('stays well-formed and bounded with a thousand tasks', () => {
    const tasks = Array.from({ length: 1_000 }, (_, i) => ({
      name: `file-${i}`,
      durationMs: 100,
      host: 'vm',
      pid: 1_000 + i,
      threadId: 0,
      startMs: i,
      finishMs: i + 100,
    }));
    const text = renderSimulationTimeline(simulationTimelineFromReport(run('processes', tasks, 1_100, 100)));
    const svg = parseXml(text);
    expect(barsOf(svg, 'processes')).toHaveLength(1_000);
    expect(num(svg, 'height')).toBeLessThan(1_000);
    expect(findElements(svg, (e) => e.attributes['class'] === 'legend-more')[0]?.text).toMatch(/^\+\d+ more$/);
    expect(text).not.toMatch(/NaN|Infinity/);
  });
});
