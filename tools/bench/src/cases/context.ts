import type { SimulationRunner } from '../simulation-runner.js';
import type { BenchPlan } from '../options.js';
import { reasonOf, type BenchRow } from '../rows.js';
import type { ShippedAnchorNats } from '../system.js';
import { formatFigure, formatRatio } from '../table.js';

export interface CaseContext {
  plan: BenchPlan;
  /** Simulations, tolerant of the coordinator's version; its `api` for every other call. */
  client: SimulationRunner;
  /** A bare nats-server (no users, no permissions) for the raw nats.js anchors. */
  natsUrl: string;
  /** A nats-server with the shipped config and the users to run the same raw publish there. */
  shippedNats: ShippedAnchorNats;
  /** Whether python3 is there to run the Python anchors. */
  python: boolean;
  /** Aborted when the bench is interrupted: start nothing new. */
  signal: AbortSignal;
  /** Progress lines (stderr); the table comes at the end. */
  log: (line: string) => void;
}

export function tasksOf(count: number, durationMs: number): { name: string; durationMs: number }[] {
  return Array.from({ length: count }, (_, i) => ({ name: `task-${i + 1}.bin`, durationMs }));
}

/** Runs an anchor; a failure becomes a null figure and a note instead of ending the bench. */
export async function anchorFigure<T, V = number>(
  what: string,
  measure: () => Promise<T>,
  pick: (result: T) => V,
): Promise<{ value: V | null; note?: string }> {
  try {
    return { value: pick(await measure()) };
  } catch (error) {
    return { value: null, note: `${what} n/a: ${reasonOf(error)}` };
  }
}

export function joinNotes(...notes: (string | undefined | null | false)[]): string | undefined {
  const kept = notes.filter((note): note is string => typeof note === 'string' && note.length > 0);
  return kept.length > 0 ? kept.join('; ') : undefined;
}

export function logRow(ctx: CaseContext, r: BenchRow): void {
  ctx.log(
    `  ${r.group}: ${r.what}: ${formatFigure(r.project, r.unit)} vs ${r.anchor.name} ${formatFigure(r.anchor.value, r.unit)} ` +
      `(${formatRatio(r.ratio)})${r.note ? ` [${r.note}]` : ''}`,
  );
}
