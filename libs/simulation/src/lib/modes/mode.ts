import type { Semaphore } from '../semaphore.js';
import type { ModeRunner } from './context.js';
import type { ProcessPool } from './pool.js';

/** What the engine holds across runs, for the modes that need it: the caps on processes and threads, the warm pool. */
export interface EngineResources {
  processSlots: Semaphore;
  threadSlots: Semaphore;
  pool: ProcessPool;
}

/**
 * Where a mode's tasks run, as the pids of its report show it: in the
 * coordinator's own process (one pid, maybe several threads), in a new process
 * per task, or in long-lived worker processes.
 */
export type ModeRunsIn = 'coordinator' | 'process-per-task' | 'worker-processes';

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
}

/** Declares a mode, keeping its name's literal type for the mode list. */
export function defineMode<const Name extends string>(definition: ModeDefinition<Name>): ModeDefinition<Name> {
  return definition;
}
