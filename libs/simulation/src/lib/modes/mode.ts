import type { Semaphore } from '../semaphore.js';
import type { ModeRunner } from './context.js';
import type { TaskDispatcher } from './distributed.js';
import type { ProcessPool } from './pool.js';

/** What the engine holds across runs, for the modes that need it: the caps on processes and threads, the warm pool. */
export interface EngineResources {
  processSlots: Semaphore;
  threadSlots: Semaphore;
  pool: ProcessPool;
  /** Hands tasks to downloader services (distributed mode); injected by the service that has a NATS connection. */
  dispatcher?: TaskDispatcher;
}

/**
 * Where a mode's tasks run, as the pids of its report show it: in the
 * coordinator's own process (one pid, maybe several threads), in a new process
 * per task, in long-lived worker processes, or in downloader services on any host.
 */
export type ModeRunsIn = 'coordinator' | 'process-per-task' | 'worker-processes' | 'downloaders';

/** A simulation mode, declared once: everything else (validation, engine, API document, page, bench, smoke) reads it. */
export interface ModeDefinition<Name extends string = string> {
  name: Name;
  /** One line for the page and the API document. */
  description: string;
  /** Part of the lesson's comparison, run when a request names no mode. */
  lesson: boolean;
  runsIn: ModeRunsIn;
  /** The runner, given what the engine holds across runs. */
  runner(resources: EngineResources): ModeRunner;
  /** How many of `tasks` tasks it runs at once here. */
  parallelism(tasks: number, resources: EngineResources): number;
  /**
   * Whether it can run now; rejects with ModeUnavailableError (a 503 for the
   * API) within a bounded time when what it needs is missing. Modes that need
   * nothing outside the coordinator leave it out.
   */
  ensureReady?(resources: EngineResources): Promise<void>;
}

/** A mode cannot run now because something it needs (named in `missing`) is not there. */
export class ModeUnavailableError extends Error {
  constructor(
    readonly mode: string,
    readonly missing: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'ModeUnavailableError';
  }
}

/** Declares a mode, keeping its name's literal type for the mode list. */
export function defineMode<const Name extends string>(definition: ModeDefinition<Name>): ModeDefinition<Name> {
  return definition;
}
