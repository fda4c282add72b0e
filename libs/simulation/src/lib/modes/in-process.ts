import { epochNow } from '@concurrency-lab/clock';
import type { TaskTiming } from '../report.js';
import type { DownloadTask } from '../tasks.js';
import { performWork } from '../workload.js';
import { announce, LOCAL_HOST, type ModeContext, type ModeRunner } from './context.js';
import { defineMode } from './mode.js';

const here = { host: LOCAL_HOST, pid: process.pid, threadId: 0 };

/**
 * Waits that end in the same millisecond share one timer. A thousand tasks
 * started together on one loop then cost a handful of timers instead of a
 * thousand, which is most of what async waiting costs. Each task still waits
 * at least its own duration: the deadline is rounded up.
 */
class SharedDeadlines {
  private readonly timers = new Map<number, Promise<void>>();

  wait(durationMs: number): Promise<void> {
    if (durationMs <= 0) return Promise.resolve();
    const deadline = Math.ceil(performance.now() + durationMs);
    let timer = this.timers.get(deadline);
    if (!timer) {
      timer = new Promise<void>((resolve) =>
        setTimeout(() => {
          this.timers.delete(deadline);
          resolve();
        }, deadline - performance.now()),
      );
      this.timers.set(deadline, timer);
    }
    return timer;
  }
}

/**
 * One promise that rejects when the run is aborted, shared by all its tasks:
 * a thousand async tasks then cost one abort listener, not a thousand.
 */
function abortedOf(signal: AbortSignal): Promise<never> {
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => undefined); // observed by the tasks; never an unhandled rejection
  return aborted;
}

async function runHere(
  task: DownloadTask,
  index: number,
  context: ModeContext,
  waitMs: number,
  aborted: Promise<never>,
  deadlines: SharedDeadlines,
): Promise<TaskTiming> {
  context.signal.throwIfAborted();
  const startedAt = epochNow();
  announce(context, 'task-started', index, task, here, startedAt);
  context.logger.info({ file: task.name, workload: context.workload }, 'download started');
  const work =
    context.workload === 'io'
      ? deadlines.wait(task.durationMs)
      : performWork(context.workload, task.durationMs, context.iterationsPerMs, context.signal);
  await Promise.race([work, aborted]);
  const finishedAt = epochNow();
  context.logger.info({ file: task.name, workload: context.workload, ms: Math.round(finishedAt - startedAt) }, 'download finished');
  announce(context, 'task-finished', index, task, here, finishedAt);
  return { ...task, ...here, waitMs, startMs: startedAt - context.runStart, finishMs: finishedAt - context.runStart };
}

/** The lesson's single process: each download waits for the one before it. */
export const runSequential: ModeRunner = async (tasks, context) => {
  const aborted = abortedOf(context.signal);
  const deadlines = new SharedDeadlines();
  const timings: TaskTiming[] = [];
  for (const [index, task] of tasks.entries()) {
    timings.push(await runHere(task, index, context, epochNow() - context.runStart, aborted, deadlines));
  }
  return timings;
};

/**
 * Every task at once on this one event loop: while one waits, the others run.
 * Waiting overlaps perfectly; computing does not, as there is one loop on one core.
 */
export const runAsync: ModeRunner = (tasks, context) => {
  const aborted = abortedOf(context.signal);
  const deadlines = new SharedDeadlines();
  return Promise.all(tasks.map((task, index) => runHere(task, index, context, 0, aborted, deadlines)));
};

export const sequentialMode = defineMode({
  name: 'sequential',
  description: 'one task after another in the coordinator, like the lesson\u2019s single process',
  lesson: true,
  runsIn: 'coordinator',
  runner: () => runSequential,
  parallelism: () => 1,
});

export const asyncMode = defineMode({
  name: 'async',
  description: 'every task at once on the coordinator\u2019s one event loop',
  lesson: false,
  runsIn: 'coordinator',
  runner: () => runAsync,
  parallelism: (tasks) => tasks,
});
