import { epochNow } from '../clock.js';
import type { TaskTiming } from '../report.js';
import type { DownloadTask } from '../tasks.js';
import { performWork } from '../workload.js';
import { announce, type ModeContext, type ModeRunner } from './context.js';

const here = { pid: process.pid, threadId: 0 };

/** Settles with the work, or rejects as soon as the run is aborted (even if it already was). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function runHere(task: DownloadTask, index: number, context: ModeContext, waitMs: number): Promise<TaskTiming> {
  context.signal.throwIfAborted();
  const startedAt = epochNow();
  announce(context, 'task-started', index, task, here, startedAt);
  context.logger.info({ file: task.name, workload: context.workload }, 'download started');
  await untilAborted(performWork(context.workload, task.durationMs, context.iterationsPerMs), context.signal);
  const finishedAt = epochNow();
  context.logger.info({ file: task.name, workload: context.workload, ms: Math.round(finishedAt - startedAt) }, 'download finished');
  announce(context, 'task-finished', index, task, here, finishedAt);
  return { ...task, ...here, waitMs, startMs: startedAt - context.runStart, finishMs: finishedAt - context.runStart };
}

/** The lesson's single process: each download waits for the one before it. */
export const runSequential: ModeRunner = async (tasks, context) => {
  const timings: TaskTiming[] = [];
  for (const [index, task] of tasks.entries()) {
    timings.push(await runHere(task, index, context, epochNow() - context.runStart));
  }
  return timings;
};

/**
 * Every task at once on this one event loop: while one waits, the others run.
 * Waiting overlaps perfectly; computing does not, as there is one loop on one core.
 */
export const runAsync: ModeRunner = (tasks, context) => Promise.all(tasks.map((task, index) => runHere(task, index, context, 0)));
