import type { TaskTiming } from '../report.js';
import type { DownloadTask } from '../tasks.js';
import type { ModeContext, ModeRunner } from './context.js';
import { defineMode, ModeUnavailableError } from './mode.js';

/**
 * What distributed mode needs of the service it runs in: a way to hand tasks
 * to downloader services and hear back from them. The engine knows nothing of
 * the transport (NATS); the coordinator injects one (libs/downloads).
 */
export interface TaskDispatcher {
  /**
   * Asks who is there to run tasks: resolves with how many tasks the
   * downloaders that answered run at once, or rejects with a
   * ModeUnavailableError within a bounded time when none answers.
   */
  probe(): Promise<number>;
  /**
   * Runs the tasks on downloaders: announces each start and finish through
   * the context (with the host and pid that ran it), honours its signal, and
   * resolves with one timing per task, in the tasks' order.
   */
  run(tasks: readonly DownloadTask[], context: ModeContext): Promise<TaskTiming[]>;
  /** Tasks at once across the downloaders that answered the last probe; 0 before any. */
  readonly capacity: number;
}

const NO_DISPATCHER = 'this coordinator has no NATS connection to hand tasks to downloaders';

function distributedRunner(dispatcher: TaskDispatcher | undefined): ModeRunner {
  return (tasks, context) => {
    if (!dispatcher) return Promise.reject(new ModeUnavailableError('distributed', 'downloader', NO_DISPATCHER));
    return dispatcher.run(tasks, context);
  };
}

export const distributedMode = defineMode({
  name: 'distributed',
  description: 'each task handed over NATS to downloader services, on this host or any other',
  lesson: false,
  runsIn: 'downloaders',
  runner: ({ dispatcher }) => distributedRunner(dispatcher),
  // As many as the downloaders that answered take at once; before any answered, as if all at once.
  parallelism: (tasks, { dispatcher }) => Math.max(1, Math.min(tasks, dispatcher?.capacity || tasks)),
  async ensureReady({ dispatcher }) {
    if (!dispatcher) throw new ModeUnavailableError('distributed', 'downloader', NO_DISPATCHER);
    await dispatcher.probe();
  },
});
