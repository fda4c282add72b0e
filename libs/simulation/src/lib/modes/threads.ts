import { Worker } from 'node:worker_threads';
import { isTaskMessage } from '../child-protocol.js';
import { epochNow } from '../clock.js';
import { childProgram } from '../program.js';
import type { TaskTiming } from '../report.js';
import type { Semaphore } from '../semaphore.js';
import type { DownloadTask } from '../tasks.js';
import { announce, assignmentFor, TaskFailedError, type ModeRunner } from './context.js';

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
export function threadsMode(slots: Semaphore): ModeRunner {
  return async (tasks, context) => {
    const workers = new Set<Worker>();
    const stopAll = () => {
      for (const worker of workers) void worker.terminate();
    };
    context.signal.addEventListener('abort', stopAll, { once: true });
    const runTask = async (task: DownloadTask, index: number): Promise<TaskTiming> => {
      await slots.acquire(context.signal);
      if (context.signal.aborted) {
        slots.release();
        throw context.signal.reason;
      }
      const waitMs = epochNow() - context.runStart;
      const worker = startThread(assignmentFor(context, task, index));
      workers.add(worker);
      try {
        return await new Promise<TaskTiming>((resolve, reject) => {
          let timing: TaskTiming | undefined;
          worker.on('message', (message: unknown) => {
            if (!isTaskMessage(message)) return;
            if (message.type === 'started') {
              announce(context, 'task-started', index, task, message, message.startedAt);
              context.logger.info({ file: task.name, workload: context.workload, threadId: message.threadId }, 'download started');
              return;
            }
            announce(context, 'task-finished', index, task, message, message.finishedAt);
            context.logger.info(
              { file: task.name, workload: context.workload, threadId: message.threadId, ms: Math.round(message.finishedAt - message.startedAt) },
              'download finished',
            );
            timing = { ...task, pid: message.pid, threadId: message.threadId, waitMs, startMs: message.startedAt - context.runStart, finishMs: message.finishedAt - context.runStart };
          });
          worker.once('error', (error) => reject(new TaskFailedError(task, error.message)));
          worker.once('exit', (code) => {
            if (timing) resolve(timing);
            else reject(context.signal.aborted ? context.signal.reason : new TaskFailedError(task, `its thread exited with code ${code}`));
          });
        });
      } finally {
        workers.delete(worker);
        slots.release();
      }
    };
    try {
      return await Promise.all(tasks.map(runTask));
    } catch (error) {
      stopAll();
      throw error;
    } finally {
      context.signal.removeEventListener('abort', stopAll);
    }
  };
}
