import type { Logger } from '@concurrency-lab/logger';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { epochNow } from '@concurrency-lab/clock';
import type { TaskTiming } from '../report.js';
import type { DownloadTask } from '../tasks.js';
import { LOCAL_HOST, type ModeContext, type ModeRunner } from './context.js';
import { defineMode } from './mode.js';
import { followTask, forkTaskProcess } from './processes.js';

interface Job {
  task: DownloadTask;
  index: number;
  context: ModeContext;
  resolve: (timing: TaskTiming) => void;
  reject: (error: unknown) => void;
}

interface PoolWorker {
  child: ChildProcess;
  job?: Job;
}

/**
 * A warm pool of worker processes kept across runs, like Python's
 * multiprocessing.Pool: no process start per task, but at most `size` tasks
 * at a time; the rest wait in line. A worker that dies is replaced.
 */
export class ProcessPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Job[] = [];
  private closing = false;

  constructor(
    readonly size: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    for (let i = 0; i < this.size; i++) this.spawn();
    this.logger.info({ size: this.size, pids: this.pids }, 'worker pool started');
  }

  get pids(): number[] {
    return this.workers.map((worker) => worker.child.pid ?? 0);
  }

  /** Runs one task on the next free worker. */
  run(task: DownloadTask, index: number, context: ModeContext): Promise<TaskTiming> {
    return new Promise<TaskTiming>((resolve, reject) => {
      if (this.closing) {
        reject(new Error('the worker pool is closed'));
        return;
      }
      if (context.signal.aborted) {
        reject(context.signal.reason);
        return;
      }
      const job: Job = { task, index, context, resolve, reject };
      const onAbort = () => {
        const queued = this.queue.indexOf(job);
        if (queued >= 0) {
          this.queue.splice(queued, 1);
          reject(context.signal.reason);
          return;
        }
        // Running: the only way to stop a task mid-way in another process is
        // to end that process; it is replaced by a fresh one.
        this.workers.find((worker) => worker.job === job)?.child.kill('SIGKILL');
      };
      context.signal.addEventListener('abort', onAbort, { once: true });
      const settle =
        <T>(settler: (value: T) => void) =>
        (value: T) => {
          context.signal.removeEventListener('abort', onAbort);
          settler(value);
        };
      job.resolve = settle(resolve);
      job.reject = settle(reject);
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Ends every worker; queued tasks are refused. */
  async close(): Promise<void> {
    this.closing = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the worker pool is closing'));
    await Promise.all(
      this.workers.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
    );
  }

  private spawn(): void {
    const worker: PoolWorker = { child: forkTaskProcess() };
    this.workers.push(worker);
    // Without a listener, a child's 'error' (a failed spawn or kill) would crash the coordinator.
    worker.child.on('error', (error) => this.logger.error({ err: error }, 'pool worker error'));
    worker.child.once('exit', (code, signal) => {
      this.workers.splice(this.workers.indexOf(worker), 1);
      if (this.closing) return;
      this.logger.warn({ pid: worker.child.pid, code, signal }, 'pool worker exited; starting a new one');
      // A short pause, so a worker that cannot start does not respawn in a tight loop.
      setTimeout(() => {
        if (this.closing) return;
        this.spawn();
        this.dispatch();
      }, 100).unref();
    });
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      if (this.queue.length === 0) return;
      if (worker.job || !worker.child.connected) continue;
      const job = this.queue.shift() as Job;
      worker.job = job;
      const waitMs = epochNow() - job.context.runStart;
      followTask(worker.child, job.task, job.index, job.context).then(
        (done) => {
          worker.job = undefined;
          job.resolve({
            ...job.task,
            host: LOCAL_HOST,
            pid: done.pid,
            threadId: 0,
            waitMs,
            startMs: done.startedAt - job.context.runStart,
            finishMs: done.finishedAt - job.context.runStart,
          });
          this.dispatch();
        },
        (error: unknown) => {
          worker.job = undefined;
          job.reject(error);
        },
      );
    }
  }
}

export function poolRunner(pool: ProcessPool): ModeRunner {
  return async (tasks, context) => {
    // The first failure ends the run: its tasks still in line leave the queue, the running ones are stopped.
    const ending = new AbortController();
    const forward = () => ending.abort(context.signal.reason);
    context.signal.addEventListener('abort', forward, { once: true });
    const own = { ...context, signal: ending.signal };
    const jobs = tasks.map((task, index) => pool.run(task, index, own));
    try {
      return await Promise.all(jobs);
    } catch (error) {
      if (!ending.signal.aborted) ending.abort('a task of the run failed');
      // Ends only once every task has: a worker stopped mid-task has exited by then.
      await Promise.allSettled(jobs);
      throw context.signal.aborted ? context.signal.reason : error;
    } finally {
      context.signal.removeEventListener('abort', forward);
    }
  };
}

export const poolMode = defineMode({
  name: 'pool',
  description: 'the tasks shared by a warm pool of worker processes',
  lesson: false,
  runsIn: 'worker-processes',
  runner: ({ pool }) => poolRunner(pool),
  parallelism: (tasks, { pool }) => Math.min(tasks, pool.size),
});
