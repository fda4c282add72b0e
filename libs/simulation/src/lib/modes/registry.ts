import { distributedMode } from './distributed.js';
import { asyncMode, sequentialMode } from './in-process.js';
import type { ModeRunsIn } from './mode.js';
import { poolMode } from './pool.js';
import { processesMode } from './processes.js';
import { threadsMode } from './threads.js';

/**
 * Every simulation mode, in the order a full comparison runs them. Adding a
 * mode: declare it with defineMode beside its runner in this folder and list it here.
 */
export const MODES = [sequentialMode, processesMode, poolMode, threadsMode, asyncMode, distributedMode] as const;

export type RunMode = (typeof MODES)[number]['name'];

/** The modes by name. */
export const MODE_BY_NAME = Object.fromEntries(MODES.map((mode) => [mode.name, mode])) as {
  [Name in RunMode]: Extract<(typeof MODES)[number], { name: Name }>;
};

/** What other projects may know of a mode: plain data, no runner. */
export interface ModeInfo {
  name: RunMode;
  description: string;
  lesson: boolean;
  runsIn: ModeRunsIn;
}

export const MODE_CATALOGUE: readonly ModeInfo[] = MODES.map(({ name, description, lesson, runsIn }) => ({
  name,
  description,
  lesson,
  runsIn,
}));
