import type { LogFormat, Logger } from '@concurrency-lab/logger';
import { epochNow } from '@concurrency-lab/clock';
import { hostname } from 'node:os';
import type { Semaphore } from '../semaphore.js';
import type { TaskAssignment } from '../child-protocol.js';
import type { EventSink } from '../events.js';
import type { TaskTiming } from '../report.js';
import type { RunMode } from '../request.js';
import type { DownloadTask } from '../tasks.js';
import type { Workload } from '../workload.js';
import type { TaskSpans } from '../task-spans.js';

/** What every mode gets for one run. */
export interface ModeContext {
  runId: string;
  mode: RunMode;
  workload: Workload;
  iterationsPerMs: number;
  /** Bound to the run id and the mode. */
  logger: Logger;
  /** How task processes write their own lines. */
  logFormat: LogFormat;
  signal: AbortSignal;
  /** Epoch ms the run started at; task offsets are from here. */
  runStart: number;
  emit: EventSink;
  /** The tasks' spans (no-ops while tracing is off); a task reported by announce() is its span's start and end. */
  spans?: TaskSpans;
}

export type ModeRunner = (tasks: readonly DownloadTask[], context: ModeContext) => Promise<TaskTiming[]>;

export function assignmentFor(context: ModeContext, task: DownloadTask, index: number): TaskAssignment {
  const trace = context.spans?.carrierFor(index, task);
  return {
    runId: context.runId,
    mode: context.mode,
    index,
    task,
    workload: context.workload,
    iterationsPerMs: context.iterationsPerMs,
    service: String(context.logger.bindings()['service'] ?? 'coordinator'),
    logLevel: context.logger.level,
    logFormat: context.logFormat,
    ...(trace && { trace }),
  };
}

/** This machine's name, as the tasks run here report it. */
export const LOCAL_HOST = hostname();

/** Tells watchers a task started or finished; `at` is epoch ms. A task without a host ran here. */
export function announce(
  context: ModeContext,
  type: 'task-started' | 'task-finished',
  index: number,
  task: DownloadTask,
  where: { pid: number; threadId: number; host?: string },
  at: number,
): void {
  const atMs = Math.round((at - context.runStart) * 10) / 10;
  const { pid, threadId } = where;
  const host = where.host ?? LOCAL_HOST;
  if (type === 'task-started') context.spans?.started(index, task, { pid, threadId, host }, at);
  else context.spans?.finished(index, at);
  context.emit({
    type,
    runId: context.runId,
    mode: context.mode,
    index,
    name: task.name,
    host,
    pid,
    threadId,
    atMs,
  });
}

export class TaskFailedError extends Error {
  constructor(task: DownloadTask, reason: string) {
    super(`task "${task.name}" failed: ${reason}`);
    this.name = 'TaskFailedError';
  }
}

/** A task started in a process or thread of its own: its timing once done, and how to end it early. */
export interface StartedTask {
  done: Promise<TaskTiming>;
  stop(): void;
}

/**
 * Runs every task in a resource of its own (a process, a thread), at most
 * `slots.capacity` alive at once across runs: a task takes a slot (the wait is
 * its waitMs), starts, and gives the slot back when done. A failure or an
 * abort ends every task of the run still going, and waits until they have ended.
 */
export async function runInSlots(
  tasks: readonly DownloadTask[],
  context: ModeContext,
  slots: Semaphore,
  start: (task: DownloadTask, index: number, waitMs: number) => StartedTask,
): Promise<TaskTiming[]> {
  const running = new Set<StartedTask>();
  // Ends the run's tasks on an abort, and also on the first failure: tasks still
  // waiting for a slot must not start once the run has failed.
  const ending = new AbortController();
  const stopAll = () => {
    if (!ending.signal.aborted) ending.abort(context.signal.aborted ? context.signal.reason : 'a task of the run failed');
    for (const started of running) started.stop();
  };
  context.signal.addEventListener('abort', stopAll, { once: true });
  const runTask = async (task: DownloadTask, index: number): Promise<TaskTiming> => {
    await slots.acquire(ending.signal);
    try {
      ending.signal.throwIfAborted();
      const started = start(task, index, epochNow() - context.runStart);
      running.add(started);
      try {
        return await started.done;
      } finally {
        running.delete(started);
      }
    } finally {
      slots.release();
    }
  };
  const settling = tasks.map(runTask);
  try {
    return await Promise.all(settling);
  } catch (error) {
    stopAll();
    // The run ends only once every task has: a cancel, or a shutdown that exits
    // right after it, must not return while a killed process is still alive.
    await Promise.allSettled(settling);
    throw error;
  } finally {
    context.signal.removeEventListener('abort', stopAll);
  }
}
