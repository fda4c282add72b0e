import { fork, type ChildProcess } from 'node:child_process';
import { isTaskMessage, type TaskMessage } from '../child-protocol.js';
import { childProgram } from '../program.js';
import type { Semaphore } from '../semaphore.js';
import type { DownloadTask } from '../tasks.js';
import { announce, assignmentFor, LOCAL_HOST, runInSlots, TaskFailedError, type ModeContext, type ModeRunner } from './context.js';
import { defineMode } from './mode.js';

export function forkTaskProcess(): ChildProcess {
  const program = childProgram('task-process');
  return fork(program.path, [], { execArgv: program.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
}

/**
 * Follows one task through a child: announces its start, resolves with its
 * finish message, and rejects if the child dies first or the run is aborted.
 */
export function followTask(
  child: ChildProcess,
  task: DownloadTask,
  index: number,
  context: ModeContext,
): Promise<Extract<TaskMessage, { type: 'finished' }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isTaskMessage(message)) return;
      if (message.type === 'started') {
        announce(context, 'task-started', index, task, message, message.startedAt);
        return;
      }
      announce(context, 'task-finished', index, task, message, message.finishedAt);
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(
        context.signal.aborted
          ? context.signal.reason
          : new TaskFailedError(task, `its process ${child.pid} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`),
      );
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new TaskFailedError(task, error.message));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
    child.send(assignmentFor(context, task, index));
  });
}

/**
 * The lesson's multi-process run: every task in an OS process of its own,
 * all started together and joined. At most `slots.capacity` processes live at
 * once across all runs; later tasks wait for a slot. Aborting kills them.
 */
export function processesRunner(slots: Semaphore): ModeRunner {
  return (tasks, context) =>
    runInSlots(tasks, context, slots, (task, index, waitMs) => {
      const child = forkTaskProcess();
      const done = followTask(child, task, index, context)
        .then((finished) => ({
          ...task,
          host: LOCAL_HOST,
          pid: finished.pid,
          threadId: 0,
          waitMs,
          startMs: finished.startedAt - context.runStart,
          finishMs: finished.finishedAt - context.runStart,
        }))
        .finally(() => {
          // Done with it: closing the channel ends the process (it exits on disconnect).
          if (child.connected) child.disconnect();
        });
      return { done, stop: () => child.kill('SIGKILL') };
    });
}

export const processesMode = defineMode({
  name: 'processes',
  description: 'a new OS process per task, like the lesson\u2019s multiprocessing run',
  lesson: true,
  runsIn: 'process-per-task',
  runner: ({ processSlots }) => processesRunner(processSlots),
  parallelism: (tasks, { processSlots }) => Math.min(tasks, processSlots.capacity),
});
