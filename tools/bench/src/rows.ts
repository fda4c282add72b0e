/** One printed row: what was measured, this project's figure, the anchor's figure from the same run, and their ratio. */
export interface BenchRow {
  /** Stable key for comparing runs across commits, e.g. `parallel-overhead/50/processes`. */
  id: string;
  /** The case this row belongs to, e.g. `parallel overhead`. */
  group: string;
  what: string;
  /** MiB: a process's memory (RSS), read from its /metrics. */
  unit: 'ms' | 'items/s' | 'req/s' | 'MiB';
  /** Which way is good: overheads, times and memory are better lower, rates higher. */
  better: 'lower' | 'higher';
  /** This project's figure; null when not measured (see note). */
  project: number | null;
  anchor: { name: string; value: number | null };
  /** project / anchor (see ratioOf), or null. */
  ratio: number | null;
  /** Why a figure is n/a, which mode stood in for another, non-2xx counts... */
  note?: string;
  /** Numbers and names the targets read (count, mode, idealMs...). */
  params: Record<string, string | number>;
}

/** project / anchor; null when either is missing, the anchor is not positive, or the project's figure is below zero (an overhead within the clock's resolution). */
export function ratioOf(project: number | null, anchor: number | null): number | null {
  if (project === null || anchor === null || !Number.isFinite(project) || !Number.isFinite(anchor) || anchor <= 0 || project < 0)
    return null;
  return Math.round((project / anchor) * 1000) / 1000;
}

export function row(fields: Omit<BenchRow, 'ratio'>): BenchRow {
  const { id, group, what, unit, better, project, anchor, note, params } = fields;
  const ratio = ratioOf(project, anchor.value);
  return { id, group, what, unit, better, project, anchor, ratio, ...(note === undefined ? {} : { note }), params };
}

/** The message of anything thrown, for an n/a note. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
