import type { Logger } from '@concurrency-lab/logger';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { epochNow } from './clock.js';
import { buildRunReport, type RunReport, type TaskTiming } from './report.js';
import { isTaskOutcome, type TaskAssignment, type TaskOutcome } from './task-protocol.js';
import type { DownloadTask } from './tasks.js';

/**
 * How to start the task program. Built, it is plain JavaScript beside this
 * file. From the TypeScript sources (under vitest) it runs through tsx and
 * resolves workspace packages to their sources, so tests exercise real
 * processes without a build step.
 */
function taskProgram(): { path: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(fromSource ? './task-process.ts' : './task-process.js', import.meta.url));
  return { path, execArgv: fromSource ? ['--import', 'tsx', '--conditions=@concurrency-lab/source'] : [] };
}

export class TaskProcessError extends Error {
  constructor(task: DownloadTask, reason: string) {
    super(`task process for "${task.name}" failed: ${reason}`);
    this.name = 'TaskProcessError';
  }
}

function runInProcess(
  child: ChildProcess,
  assignment: TaskAssignment,
): Promise<TaskOutcome> {
  return new Promise((resolve, reject) => {
    let outcome: TaskOutcome | undefined;
    child.once('message', (message: unknown) => {
      if (isTaskOutcome(message)) outcome = message;
    });
    child.once('error', (error) => reject(new TaskProcessError(assignment.task, error.message)));
    child.once('exit', (code, signal) => {
      if (outcome) resolve(outcome);
      else reject(new TaskProcessError(assignment.task, signal ? `killed by ${signal}` : `exited with code ${code}`));
    });
    child.send(assignment);
  });
}

/**
 * The lesson's multi-process run: every task in its own OS process, all
 * started together, all joined. The total is about the longest task plus
 * what starting processes costs. Aborting kills every process of the run.
 */
export async function runParallel(
  runId: string,
  tasks: readonly DownloadTask[],
  logger: Logger,
  signal?: AbortSignal,
): Promise<RunReport> {
  signal?.throwIfAborted();
  const program = taskProgram();
  const runStart = epochNow();
  const runs = tasks.map((task) => ({
    task,
    child: fork(program.path, [], { execArgv: program.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' }),
  }));
  const killAll = () => {
    for (const { child } of runs) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  signal?.addEventListener('abort', killAll, { once: true });
  const service = String(logger.bindings()['service'] ?? 'coordinator');
  try {
    const timings: TaskTiming[] = await Promise.all(
      runs.map(async ({ task, child }) => {
        const outcome = await runInProcess(child, { runId, task, service, logLevel: logger.level });
        return { ...task, pid: outcome.pid, startMs: outcome.startedAt - runStart, finishMs: outcome.finishedAt - runStart };
      }),
    );
    return buildRunReport(runId, 'parallel', epochNow() - runStart, timings);
  } catch (error) {
    killAll();
    signal?.throwIfAborted();
    throw error;
  } finally {
    signal?.removeEventListener('abort', killAll);
  }
}
