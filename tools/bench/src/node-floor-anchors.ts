import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

// Built: JavaScript beside this file; from the sources (specs): the .ts, which Node runs by stripping its types.
const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
const forkChild = new URL(`./floors/fork-child.${extension}`, import.meta.url);
const workerChild = new URL(`./floors/worker-child.${extension}`, import.meta.url);

export interface FloorResult {
  /** From before the first start to the last task's message. */
  totalMs: number;
  /** totalMs minus the task's duration: the project's overheadMs measures the same span. */
  overheadMs: number;
  /** From before the first start to the last exit. */
  joinedMs: number;
}

/**
 * Starts `count` children together in one tick, each sending one message after
 * `durationMs`, and joins them: the time to the last message is the figure
 * (like the coordinator's totalMs, which ends at the last task's finish), and
 * every child has exited before this returns, so none disturbs what runs next.
 */
async function measureFloor<T>(
  count: number,
  durationMs: number,
  start: () => T,
  messaged: (child: T) => Promise<void>,
  exited: (child: T) => Promise<void>,
): Promise<FloorResult> {
  const t0 = performance.now();
  const children = Array.from({ length: count }, start);
  let lastMessage = t0;
  await Promise.all(children.map((child) => messaged(child).then(() => void (lastMessage = performance.now()))));
  await Promise.all(children.map(exited));
  const totalMs = lastMessage - t0;
  return { totalMs, overheadMs: totalMs - durationMs, joinedMs: performance.now() - t0 };
}

function firstMessage(emitter: ChildProcess | Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    emitter.once('message', () => resolve());
    emitter.once('error', reject);
    emitter.once('exit', (code: number | null) => reject(new Error(`floor child exited (${code}) before its message`)));
  });
}

/** A bare child_process.fork (IPC, no execArgv) of an empty module per task; the parent disconnects on its message. */
export function forkFloor(count: number, durationMs: number): Promise<FloorResult> {
  return measureFloor(
    count,
    durationMs,
    () => fork(forkChild, [String(durationMs)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' }),
    async (child) => {
      await firstMessage(child);
      child.disconnect();
    },
    async (child) => {
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  );
}

/** A bare `new Worker` of an empty module per task, which ends after its message. */
export function workerFloor(count: number, durationMs: number): Promise<FloorResult> {
  return measureFloor(
    count,
    durationMs,
    () => {
      const worker = new Worker(workerChild, { workerData: durationMs });
      // Registered at once, so an exit that comes before the join is not missed.
      const exit = once(worker, 'exit').then(() => undefined);
      return { worker, exit };
    },
    ({ worker }) => firstMessage(worker),
    ({ exit }) => exit,
  );
}
