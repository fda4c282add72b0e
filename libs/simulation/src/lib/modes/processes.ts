import { fork, type ChildProcess } from 'node:child_process';
import { isTaskMessage, type TaskMessage } from '../child-protocol.js';
import { epochNow } from '../clock.js';
import { childProgram } from '../program.js';
import type { TaskTiming } from '../report.js';
import type { Semaphore } from '../semaphore.js';
import type { DownloadTask } from '../tasks.js';
import { announce, assignmentFor, TaskFailedError, type ModeContext, type ModeRunner } from './context.js';

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
      reject(context.signal.aborted ? context.signal.reason : new TaskFailedError(task, `its process ${child.pid} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`));
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
export function processesMode(slots: Semaphore): ModeRunner {
  return async (tasks, context) => {
    const children = new Set<ChildProcess>();
    const killAll = () => {
      for (const child of children) child.kill('SIGKILL');
    };
    context.signal.addEventListener('abort', killAll, { once: true });
    const runTask = async (task: DownloadTask, index: number): Promise<TaskTiming> => {
      await slots.acquire(context.signal);
      if (context.signal.aborted) {
        slots.release();
        throw context.signal.reason;
      }
      const waitMs = epochNow() - context.runStart;
      const child = forkTaskProcess();
      children.add(child);
      try {
        const done = await followTask(child, task, index, context);
        return { ...task, pid: done.pid, threadId: 0, waitMs, startMs: done.startedAt - context.runStart, finishMs: done.finishedAt - context.runStart };
      } finally {
        // Done with it: closing the channel ends the process (it exits on disconnect).
        if (child.connected) child.disconnect();
        children.delete(child);
        slots.release();
      }
    };
    try {
      return await Promise.all(tasks.map(runTask));
    } catch (error) {
      killAll();
      throw error;
    } finally {
      context.signal.removeEventListener('abort', killAll);
    }
  };
}
