import { spawnSync } from 'node:child_process';

/**
 * Pids of the living `node` children of a process, this one by default: task
 * processes and pool workers (or, given a service's pid, that service's).
 * nats-server, and the ps that lists them, are not node.
 */
export function nodeChildPids(parentPid = process.pid): number[] {
  const listed = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(parentPid)], { encoding: 'utf8' });
  if (listed.error) throw listed.error;
  // ps exits 1 when it lists nothing (no children, or no such parent any more): that is an empty list, not a failure.
  if (listed.status !== 0 && listed.status !== 1) throw new Error(`ps failed (${listed.status}): ${listed.stderr}`);
  return listed.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, command]) => pid && command === 'node')
    .map(([pid]) => Number(pid));
}
