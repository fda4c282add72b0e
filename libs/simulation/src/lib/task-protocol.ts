import type { DownloadTask } from './tasks.js';

/** What the coordinator sends a task process over IPC. Caller strings never go on a command line. */
export interface TaskAssignment {
  runId: string;
  task: DownloadTask;
  service: string;
  logLevel: string;
}

/** What a task process answers when its download is done; times are epoch ms. */
export interface TaskOutcome {
  pid: number;
  startedAt: number;
  finishedAt: number;
}

export function isTaskAssignment(value: unknown): value is TaskAssignment {
  const candidate = value as Partial<TaskAssignment> | null;
  return (
    typeof candidate?.runId === 'string' &&
    typeof candidate.task?.name === 'string' &&
    typeof candidate.task.durationMs === 'number' &&
    Number.isFinite(candidate.task.durationMs)
  );
}

export function isTaskOutcome(value: unknown): value is TaskOutcome {
  const candidate = value as Partial<TaskOutcome> | null;
  return typeof candidate?.pid === 'number' && typeof candidate.startedAt === 'number' && typeof candidate.finishedAt === 'number';
}
