import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const PAGE_BYTES = 4096;

/** The parent pid in a /proc/PID/stat line (the field after the command, which may hold spaces and parentheses). */
export function parentPidOf(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : null;
}

/**
 * Every process's parent, read from /proc once. Synchronous on purpose: a
 * pass over a few hundred small files is a few ms this way, and the tasks
 * being sampled live only a little longer than their 200 ms.
 */
function parentsNow(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = parentPidOf(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (ppid !== null) parents.set(Number(name), ppid);
    } catch {
      // exited since listed
    }
  }
  return parents;
}

/** The descendants of `root` (children, their children...), from one reading of /proc. */
export function descendantsOf(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const pending = [...(children.get(root) ?? [])];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    found.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return found;
}

/**
 * A process's resident set in bytes (/proc/PID/statm), and the part of it not
 * backed by files (resident minus shared: mostly its own heap; the binary's
 * pages count in every process's RSS but are in memory once); zeros once it has exited.
 */
function residentOf(pid: number): { rss: number; own: number } {
  try {
    const [, resident, shared] = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ').map(Number);
    if (resident === undefined || shared === undefined || !Number.isFinite(resident)) return { rss: 0, own: 0 };
    return { rss: resident * PAGE_BYTES, own: (resident - shared) * PAGE_BYTES };
  } catch {
    return { rss: 0, own: 0 };
  }
}

/** The summed RSS of `root`'s descendants now, leaving out `excluded` pids and their descendants (a service's long-lived workers). */
export function descendantsRss(
  root: number,
  excluded: ReadonlySet<number> = new Set(),
): { bytes: number; ownBytes: number; processes: number } {
  const parents = parentsNow();
  const pids = descendantsOf(root, parents).filter((pid) => !excluded.has(pid) && !isUnder(pid, excluded, parents));
  const sizes = pids.map(residentOf).filter((size) => size.rss > 0);
  const sum = (pick: (size: { rss: number; own: number }) => number) => sizes.reduce((total, size) => total + pick(size), 0);
  return { bytes: sum((size) => size.rss), ownBytes: sum((size) => size.own), processes: sizes.length };
}

function isUnder(pid: number, ancestors: ReadonlySet<number>, parents: ReadonlyMap<number, number>): boolean {
  for (let up = parents.get(pid); up !== undefined && up > 1; up = parents.get(up)) if (ancestors.has(up)) return true;
  return false;
}

/** The pids under `root` now: what to exclude later as already there. */
export function descendantPids(root: number): Set<number> {
  return new Set(descendantsOf(root, parentsNow()));
}

export interface TreePeak {
  /** The highest summed RSS sampled, bytes. */
  peakBytes: number;
  /** The part of that sample's RSS not backed by files. */
  ownBytesAtPeak: number;
  /** How many processes that sample held, and the most seen in any sample. */
  processesAtPeak: number;
  mostProcesses: number;
  samples: number;
}

/**
 * Samples the summed RSS of a process tree back to back, `pauseMs` apart,
 * until stopped; keeps the peak. Every task process of a 50 x 200 ms run is
 * alive together for at least the 200 ms, which a short pause cannot miss.
 */
export function watchTreeRss(
  root: () => number | undefined,
  excluded: ReadonlySet<number> = new Set(),
  pauseMs = 10,
): { stop(): Promise<TreePeak> } {
  let stopped = false;
  const peak: TreePeak = { peakBytes: 0, ownBytesAtPeak: 0, processesAtPeak: 0, mostProcesses: 0, samples: 0 };
  const sampling = (async () => {
    while (!stopped) {
      const pid = root();
      if (pid !== undefined) {
        const now = descendantsRss(pid, excluded);
        peak.samples++;
        peak.mostProcesses = Math.max(peak.mostProcesses, now.processes);
        if (now.bytes > peak.peakBytes)
          Object.assign(peak, { peakBytes: now.bytes, ownBytesAtPeak: now.ownBytes, processesAtPeak: now.processes });
      }
      if (!stopped) await sleep(pauseMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await sampling;
      return peak;
    },
  };
}
