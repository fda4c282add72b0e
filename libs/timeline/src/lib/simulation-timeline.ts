import type { RunReport, SimulationEvent, SimulationReport } from '@concurrency-lab/simulation';
import { renderGantt, type GanttBar, type GanttLegendEntry, type GanttPanel, type GanttRow } from './gantt.js';
import { ColorKeys } from './palette.js';
import { formatMs } from './svg.js';

/** A task-started or task-finished event of GET /simulations/:id/events: what a running run's chart is drawn from. */
export type TaskEvent = Extract<SimulationEvent, { type: 'task-started' | 'task-finished' }>;

/** One task as far as it is known: a task still running has no finishMs yet. */
export interface TimelineTask {
  index: number;
  name: string;
  /** The host of the process that ran it. */
  host: string;
  pid: number;
  threadId: number;
  startMs: number;
  finishMs?: number;
  durationMs?: number;
}

export interface ModeTimeline {
  mode: string;
  /** Known once the mode's report is in. */
  totalMs?: number;
  idealMs?: number;
  /** The latest offset heard of in this mode: where a running task's bar ends for now. */
  nowMs: number;
  /** By index; tasks that have not started yet are missing. */
  tasks: TimelineTask[];
}

/** What a simulation chart draws: a finished run's report, or what the events of a running one told so far. */
export interface SimulationTimeline {
  runId: string;
  status: 'running' | 'finished';
  workload?: string;
  /** Tasks per mode: one row each, started or not. */
  taskCount: number;
  modes: ModeTimeline[];
}

function modeFromReport(report: RunReport): ModeTimeline {
  return {
    mode: report.mode,
    totalMs: report.totalMs,
    idealMs: report.idealMs,
    nowMs: report.totalMs,
    tasks: report.tasks.map((task, index) => ({ index, ...task })),
  };
}

/** A finished run, one mode or a comparison (its modes in the table's order). */
export function simulationTimelineFromReport(report: SimulationReport): SimulationTimeline {
  const runs = 'runs' in report ? report.table.map((row) => report.runs[row.mode]).filter((run) => run !== undefined) : [report];
  return {
    runId: report.runId,
    status: 'finished',
    workload: report.workload,
    taskCount: Math.max(0, ...runs.map((run) => run.tasks.length)),
    modes: runs.map(modeFromReport),
  };
}

/**
 * A running run from its task events so far. Modes that have not started
 * yet get an empty panel, so the chart keeps its shape as the run goes.
 */
export function simulationTimelineFromEvents(
  run: { runId: string; modes: readonly string[]; taskCount: number; workload?: string },
  events: readonly TaskEvent[],
): SimulationTimeline {
  const modes = new Map<string, ModeTimeline & { byIndex: Map<number, TimelineTask> }>(
    run.modes.map((mode) => [mode, { mode, nowMs: 0, tasks: [], byIndex: new Map() }]),
  );
  for (const event of events) {
    const mode = modes.get(event.mode);
    if (!mode) continue;
    mode.nowMs = Math.max(mode.nowMs, event.atMs);
    const known = mode.byIndex.get(event.index);
    if (event.type === 'task-started') {
      mode.byIndex.set(event.index, {
        index: event.index,
        name: event.name,
        host: event.host,
        pid: event.pid,
        threadId: event.threadId,
        startMs: event.atMs,
        ...(known?.finishMs === undefined ? {} : { finishMs: known.finishMs }),
      });
    } else {
      // A finish without its start (never expected) still shows, as an instant.
      mode.byIndex.set(event.index, {
        index: event.index,
        name: event.name,
        host: event.host,
        pid: event.pid,
        threadId: event.threadId,
        startMs: known?.startMs ?? event.atMs,
        finishMs: event.atMs,
      });
    }
  }
  return {
    runId: run.runId,
    status: 'running',
    ...(run.workload === undefined ? {} : { workload: run.workload }),
    taskCount: run.taskCount,
    modes: [...modes.values()].map(({ byIndex, ...mode }) => ({ ...mode, tasks: [...byIndex.values()].sort((a, b) => a.index - b.index) })),
  };
}

/**
 * The key a task is coloured by: its thread when it ran on a worker thread,
 * its process otherwise; with the host when the mode ran on several (pids
 * repeat across hosts and containers).
 */
function colorKey(task: TimelineTask, manyHosts: boolean): string {
  const process = task.threadId === 0 ? `pid ${task.pid}` : `pid ${task.pid} thread ${task.threadId}`;
  return manyHosts ? `${process} on ${task.host}` : process;
}

const hostCount = (mode: ModeTimeline) => new Set(mode.tasks.map((task) => task.host)).size;

/** Rows shrink as tasks grow in number, so 1,000 tasks still make a chart one can scroll through. */
function rowHeight(taskCount: number): number {
  return Math.min(18, Math.max(0.5, 360 / Math.max(1, taskCount)));
}

function modeNote(mode: ModeTimeline, taskCount: number, status: SimulationTimeline['status']): string {
  const pids = new Set(mode.tasks.map((task) => `${task.host}:${task.pid}`)).size;
  const threads = new Set(mode.tasks.filter((task) => task.threadId !== 0).map((task) => `${task.host}:${task.pid}:${task.threadId}`)).size;
  const hosts = hostCount(mode);
  const processes =
    threads > 0
      ? `${threads} thread${threads === 1 ? '' : 's'} of ${pids} process${pids === 1 ? '' : 'es'}`
      : `${pids} process${pids === 1 ? '' : 'es'}`;
  const ran = hosts > 1 ? `${processes} on ${hosts} hosts` : processes;
  if (mode.totalMs !== undefined && mode.idealMs !== undefined) {
    return `total ${formatMs(mode.totalMs)} ms (solid line), ideal ${formatMs(mode.idealMs)} ms (dashed), ${ran}`;
  }
  const finished = mode.tasks.filter((task) => task.finishMs !== undefined).length;
  if (mode.tasks.length === 0) return status === 'running' ? 'waiting to start' : 'no tasks';
  return `${finished} of ${taskCount} tasks finished, ${ran}`;
}

function modePanel(mode: ModeTimeline, timeline: SimulationTimeline, colors: ColorKeys): GanttPanel {
  const height = rowHeight(timeline.taskCount);
  const legend = new Map<string, GanttLegendEntry>();
  const byIndex = new Map(mode.tasks.map((task) => [task.index, task]));
  const manyHosts = hostCount(mode) > 1;
  const rows: GanttRow[] = Array.from({ length: timeline.taskCount }, (_, index) => {
    const task = byIndex.get(index);
    if (!task) return { label: `task ${index + 1} (waiting)`, heightPx: height, bars: [] };
    const key = colorKey(task, manyHosts);
    const color = colors.colorOf(key);
    legend.set(key, { label: key, color });
    const open = task.finishMs === undefined;
    const finishMs = task.finishMs ?? Math.max(task.startMs, mode.nowMs);
    const where = `${task.threadId === 0 ? `pid ${task.pid}` : `pid ${task.pid}, thread ${task.threadId}`} on ${task.host}`;
    const work = task.durationMs === undefined ? '' : ` (${formatMs(task.durationMs)} ms of work)`;
    const bar: GanttBar = {
      startMs: task.startMs,
      finishMs,
      color,
      open,
      title: `${task.name}: ${mode.mode}, ${where}, ${formatMs(task.startMs)} to ${open ? 'still running' : `${formatMs(finishMs)} ms`}${work}`,
      data: {
        mode: mode.mode,
        task: index,
        name: task.name,
        host: task.host,
        pid: task.pid,
        thread: task.threadId,
        'start-ms': task.startMs,
        'finish-ms': task.finishMs,
      },
    };
    return { label: task.name, heightPx: height, bars: [bar] };
  });
  const markers: GanttPanel['markers'] = [];
  if (mode.totalMs !== undefined)
    markers.push({ kind: 'total', atMs: mode.totalMs, label: `${mode.mode}: total ${formatMs(mode.totalMs)} ms` });
  if (mode.idealMs !== undefined)
    markers.push({ kind: 'ideal', atMs: mode.idealMs, label: `${mode.mode}: ideal ${formatMs(mode.idealMs)} ms` });
  return {
    title: mode.mode,
    note: modeNote(mode, timeline.taskCount, timeline.status),
    rows,
    markers,
    legend: [...legend.values()],
    emptyText: timeline.status === 'running' ? 'no task has started yet' : 'no tasks',
    data: { mode: mode.mode, tasks: timeline.taskCount, 'total-ms': mode.totalMs, 'ideal-ms': mode.idealMs },
  };
}

/**
 * A simulation as a Gantt chart: a panel per mode, one row per task, a bar
 * from its start to its finish coloured by the process (or worker thread)
 * that ran it, the mode's total and ideal marked; all modes on one time axis.
 */
export function renderSimulationTimeline(timeline: SimulationTimeline): string {
  const colors = new ColorKeys();
  const workload = timeline.workload ? `${timeline.workload} workload, ` : '';
  return renderGantt({
    title: `Simulation ${timeline.runId}${timeline.status === 'running' ? ' (running)' : ''}`,
    description: `${workload}${timeline.taskCount} task${timeline.taskCount === 1 ? '' : 's'} per mode: one row per task, a bar from its start to its finish, coloured by the process (pid, and host when there are several) or thread that ran it.`,
    axisLabel: "ms from the start of each mode's run",
    panels: timeline.modes.map((mode) => modePanel(mode, timeline, colors)),
    data: { chart: 'simulation', 'run-id': timeline.runId, status: timeline.status },
  });
}
