import type { RunState } from './run-registry.js';

/** Who wrote a run's record: one coordinator process (a restarted one is another instance). */
export interface RunOwner {
  /** A random id per process start. */
  instance: string;
  host: string;
  pid: number;
}

/** What outlives the process of a run: its input, state and result, without its events or cancel. */
export interface StoredRun<Input, Result> {
  readonly id: string;
  readonly input: Input;
  readonly createdAt: Date;
  readonly state: RunState;
  readonly endedAt?: Date | undefined;
  readonly result?: Result | undefined;
  readonly errorMessage?: string | undefined;
  /** Who ran it: set on a run read back from the archive, absent on one in this process's memory. */
  readonly owner?: RunOwner | undefined;
}

/**
 * Where a registry keeps its runs beyond its memory: written as each run
 * starts and as it ends, read for an id the registry does not hold.
 */
export interface RunArchive<Input, Result> {
  /** Stores the run's record; settles once stored or given up on (it logs what was lost), never rejects. */
  save(run: StoredRun<Input, Result>): Promise<void>;
  /** The run's record, or undefined if there is none; rejects when the archive cannot be asked. */
  load(id: string): Promise<StoredRun<Input, Result> | undefined>;
}
