import { Worker } from 'node:worker_threads';
import { isTaskMessage } from '../child-protocol.js';
import { childProgram } from '../program.js';
import type { TaskTiming } from '../report.js';
import type { Semaphore } from '../semaphore.js';
import { announce, assignmentFor, LOCAL_HOST, runInSlots, TaskFailedError, type ModeRunner } from './context.js';
import { defineMode } from './mode.js';

function startThread(workerData: unknown): Worker {
  const program = childProgram('thread-task');
  if (!program.fromSource) return new Worker(program.url, { workerData });
  // From sources the thread must load tsx before its TypeScript entry; a
  // worker's execArgv cannot do that, a two-line bootstrap can.
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(program.url.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: ['--conditions=@concurrency-lab/source'] });
}

/**
 * One worker thread per task: one process, one pid, but an event loop per
 * task, so computing tasks can use several cores. Thread starts are cheaper
 * than process starts. Aborting terminates the threads.
 */
export function threadsRunner(slots: Semaphore): ModeRunner {
  return (tasks, context) =>
    runInSlots(tasks, context, slots, (task, index, waitMs) => {
      const worker = startThread(assignmentFor(context, task, index));
      const done = new Promise<TaskTiming>((resolve, reject) => {
        let timing: TaskTiming | undefined;
        worker.on('message', (message: unknown) => {
          if (!isTaskMessage(message)) return;
          const where = { file: task.name, workload: context.workload, threadId: message.threadId };
          if (message.type === 'started') {
            announce(context, 'task-started', index, task, message, message.startedAt);
            context.logger.info(where, 'download started');
            return;
          }
          announce(context, 'task-finished', index, task, message, message.finishedAt);
          context.logger.info({ ...where, ms: Math.round(message.finishedAt - message.startedAt) }, 'download finished');
          timing = {
            ...task,
            host: LOCAL_HOST,
            pid: message.pid,
            threadId: message.threadId,
            waitMs,
            startMs: message.startedAt - context.runStart,
            finishMs: message.finishedAt - context.runStart,
          };
        });
        worker.once('error', (error) => reject(new TaskFailedError(task, error.message)));
        worker.once('exit', (code) => {
          if (timing) resolve(timing);
          else reject(context.signal.aborted ? context.signal.reason : new TaskFailedError(task, `its thread exited with code ${code}`));
        });
      });
      return { done, stop: () => void worker.terminate() };
    });
}

export const threadsMode = defineMode({
  name: 'threads',
  description: 'a worker thread per task in the coordinator\u2019s process',
  lesson: false,
  runsIn: 'coordinator',
  runner: ({ threadSlots }) => threadsRunner(threadSlots),
  parallelism: (tasks, { threadSlots }) => Math.min(tasks, threadSlots.capacity),
});
