import type { Logger } from '@concurrency-lab/logger';
import type { TaskAssignment } from '../child-protocol.js';
import type { EventSink } from '../events.js';
import type { TaskTiming } from '../report.js';
import type { RunMode } from '../request.js';
import type { DownloadTask } from '../tasks.js';
import type { Workload } from '../workload.js';

/** What every mode gets for one run. */
export interface ModeContext {
  runId: string;
  mode: RunMode;
  workload: Workload;
  iterationsPerMs: number;
  /** Bound to the run id and the mode. */
  logger: Logger;
  signal: AbortSignal;
  /** Epoch ms the run started at; task offsets are from here. */
  runStart: number;
  emit: EventSink;
}

export type ModeRunner = (tasks: readonly DownloadTask[], context: ModeContext) => Promise<TaskTiming[]>;

export function assignmentFor(context: ModeContext, task: DownloadTask, index: number): TaskAssignment {
  return {
    runId: context.runId,
    mode: context.mode,
    index,
    task,
    workload: context.workload,
    iterationsPerMs: context.iterationsPerMs,
    service: String(context.logger.bindings()['service'] ?? 'coordinator'),
    logLevel: context.logger.level,
  };
}

/** Tells watchers a task started or finished; `at` is epoch ms. */
export function announce(
  context: ModeContext,
  type: 'task-started' | 'task-finished',
  index: number,
  task: DownloadTask,
  where: { pid: number; threadId: number },
  at: number,
): void {
  const atMs = Math.round((at - context.runStart) * 10) / 10;
  context.emit({ type, runId: context.runId, mode: context.mode, index, name: task.name, pid: where.pid, threadId: where.threadId, atMs });
}

export class TaskFailedError extends Error {
  constructor(task: DownloadTask, reason: string) {
    super(`task "${task.name}" failed: ${reason}`);
    this.name = 'TaskFailedError';
  }
}
