import { forkFloor, workerFloor, type FloorResult } from '../node-floor-anchors.js';
import { descendantPids, watchTreeRss, type TreePeak } from '../process-tree-memory.js';
import { pythonProcessesMemory } from '../python-memory.js';
import { reasonOf, row, type BenchRow } from '../rows.js';
import type { BenchSystem } from '../system.js';
import { joinNotes, logRow, tasksOf, type CaseContext } from './context.js';

/** The task counts the floor targets name. */
export const FLOOR_COUNTS = [10, 50] as const;
export const FORK_FLOOR = 'bare fork of an empty module';
export const WORKER_FLOOR = 'bare Worker of an empty module';
const MEMORY_COUNT = 50;
const MiB = 1024 * 1024;

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const rounded = (value: number) => Math.round(value * 10) / 10;
const listOf = (values: readonly number[]) => values.map((v) => Math.round(v)).join(', ');

interface Pairing {
  mode: 'processes' | 'threads';
  floorName: string;
  floor: (count: number, ms: number) => Promise<FloorResult>;
}

const PAIRINGS: readonly Pairing[] = [
  { mode: 'processes', floorName: FORK_FLOOR, floor: forkFloor },
  { mode: 'threads', floorName: WORKER_FLOOR, floor: workerFloor },
];

/**
 * One mode against its floor at one count: floor and project alternate,
 * `repetitions` times, and each row holds the medians (every figure in the note).
 */
async function againstFloor(ctx: CaseContext, pairing: Pairing, count: number, repetitions: number): Promise<BenchRow> {
  const ms = ctx.plan.parallelTaskMs;
  const floors: number[] = [];
  const project: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < repetitions; i++) {
    ctx.signal.throwIfAborted();
    try {
      floors.push((await pairing.floor(count, ms)).overheadMs);
    } catch (error) {
      failures.push(`floor: ${reasonOf(error)}`);
    }
    const outcome = await ctx.client.simulate(pairing.mode, tasksOf(count, ms));
    if (outcome.ok) project.push(outcome.report.overheadMs);
    else failures.push(outcome.reason);
  }
  const built = row({
    id: `node-floors/${count}/${pairing.mode}`,
    group: 'node floors',
    what: `${count} x ${ms} ms, ${pairing.mode} overhead, median of ${repetitions}`,
    unit: 'ms',
    better: 'lower',
    project: median(project),
    anchor: { name: pairing.floorName, value: median(floors) },
    note: joinNotes(`${pairing.mode} ${listOf(project)}; floor ${listOf(floors)}`, failures.length > 0 && `n/a: ${failures.join('; ')}`),
    params: { count, durationMs: ms, mode: pairing.mode, repetitions },
  });
  logRow(ctx, built);
  return built;
}

/** The peak summed RSS of the coordinator's task processes through one `processes` run (its warm pool workers left out). */
async function processesMemory(ctx: CaseContext, system: BenchSystem): Promise<TreePeak> {
  const coordinator = system.services.coordinator.pid;
  const poolWorkers = descendantPids(coordinator);
  const watch = watchTreeRss(() => coordinator, poolWorkers);
  // Stopped on a failure too: the sampling loop must not outlive the run.
  const outcome = await ctx.client.simulate('processes', tasksOf(MEMORY_COUNT, ctx.plan.parallelTaskMs)).catch(async (error: unknown) => {
    await watch.stop();
    throw error;
  });
  const peak = await watch.stop();
  if (!outcome.ok) throw new Error(outcome.reason);
  return peak;
}

async function memoryRow(ctx: CaseContext, system: BenchSystem): Promise<BenchRow> {
  const ms = ctx.plan.parallelTaskMs;
  const notes: string[] = [];
  const measure = async (what: string, run: () => Promise<TreePeak>) => {
    try {
      const peak = await run();
      notes.push(
        `${what}: ${peak.processesAtPeak} processes at the peak (${peak.mostProcesses} at most), ` +
          `${Math.round(peak.ownBytesAtPeak / MiB)} MiB of it not file-backed, ${peak.samples} samples`,
      );
      return peak.peakBytes / MiB;
    } catch (error) {
      notes.push(`${what} n/a: ${reasonOf(error)}`);
      return null;
    }
  };
  const python = ctx.python ? await measure('python', () => pythonProcessesMemory(MEMORY_COUNT, ms, ctx.signal)) : null;
  if (!ctx.python) notes.push('python3 not found');
  const project = await measure('processes', () => processesMemory(ctx, system));
  const built = row({
    id: `node-floors/memory/${MEMORY_COUNT}/processes`,
    group: 'node floors',
    what: `${MEMORY_COUNT} x ${ms} ms, processes, peak total RSS of the task processes`,
    unit: 'MiB',
    better: 'lower',
    project: project === null ? null : rounded(project),
    anchor: { name: `python ${MEMORY_COUNT} Process objects`, value: python === null ? null : rounded(python) },
    note: joinNotes(...notes),
    params: { count: MEMORY_COUNT, durationMs: ms, mode: 'processes' },
  });
  logRow(ctx, built);
  return built;
}

/**
 * `processes` and `threads` against Node's own floors measured in the same
 * run (a bare fork, a bare Worker, of an empty module, one per task, started
 * together and joined), at 10 and 50 tasks; and the task processes' memory
 * against Python's Process objects.
 */
export async function nodeFloorsCase(ctx: CaseContext, system: BenchSystem): Promise<BenchRow[]> {
  const repetitions = ctx.plan.quick ? 1 : 3;
  const rows: BenchRow[] = [];
  for (const count of FLOOR_COUNTS) for (const pairing of PAIRINGS) rows.push(await againstFloor(ctx, pairing, count, repetitions));
  rows.push(await memoryRow(ctx, system));
  return rows;
}
