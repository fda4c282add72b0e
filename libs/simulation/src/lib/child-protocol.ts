import type { LogFormat } from '@concurrency-lab/logger';
import type { RunMode } from './request.js';
import type { DownloadTask } from './tasks.js';
import type { Workload } from './workload.js';

/** What the coordinator sends a task process or thread. Caller strings never go on a command line. */
export interface TaskAssignment {
  runId: string;
  mode: RunMode;
  index: number;
  task: DownloadTask;
  workload: Workload;
  iterationsPerMs: number;
  service: string;
  logLevel: string;
  /** The coordinator's own log format, so a task process's lines read like the rest (LOG_FORMAT=pretty). */
  logFormat: LogFormat;
  /** The task span's W3C trace context, when the coordinator traces: the task's log lines name that span. */
  trace?: Record<string, string>;
}

/** What a task process or thread reports; times are epoch ms. */
export type TaskMessage =
  | { type: 'started'; pid: number; threadId: number; startedAt: number }
  | { type: 'finished'; pid: number; threadId: number; startedAt: number; finishedAt: number };

export function isTaskAssignment(value: unknown): value is TaskAssignment {
  const candidate = value as Partial<TaskAssignment> | null;
  return (
    typeof candidate?.runId === 'string' &&
    typeof candidate.index === 'number' &&
    typeof candidate.task?.name === 'string' &&
    typeof candidate.task.durationMs === 'number' &&
    Number.isFinite(candidate.task.durationMs) &&
    (candidate.workload === 'io' || candidate.workload === 'cpu') &&
    typeof candidate.iterationsPerMs === 'number'
  );
}

export function isTaskMessage(value: unknown): value is TaskMessage {
  const candidate = value as Partial<{ type: string; pid: number; threadId: number; startedAt: number; finishedAt: number }> | null;
  const finite = (field: unknown) => typeof field === 'number' && Number.isFinite(field);
  if (!finite(candidate?.pid) || !finite(candidate?.threadId) || !finite(candidate?.startedAt)) return false;
  // A finish without its time would put NaN on the timeline.
  return candidate?.type === 'started' || (candidate?.type === 'finished' && finite(candidate.finishedAt));
}
