import { spawnSync } from 'node:child_process';
import { readlinkSync, realpathSync } from 'node:fs';

const nodeBinary = realpathSync(process.execPath);

/**
 * Pids of the living `node` children of a process, this one by default: task
 * processes and pool workers (or, given a service's pid, that service's).
 * nats-server, and the ps that lists them, are not node. A child counts as
 * node by the binary it runs (/proc/PID/exe), not by its comm: Node 24 names
 * its main thread `MainThread`, so comm no longer says `node`.
 */
export function nodeChildPids(parentPid = process.pid): number[] {
  const listed = spawnSync('ps', ['-o', 'pid=', '--ppid', String(parentPid)], { encoding: 'utf8' });
  if (listed.error) throw listed.error;
  // ps exits 1 when it lists nothing (no children, or no such parent any more): that is an empty list, not a failure.
  if (listed.status !== 0 && listed.status !== 1) throw new Error(`ps failed (${listed.status}): ${listed.stderr}`);
  return listed.stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0 && runsNode(pid));
}

function runsNode(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/exe`) === nodeBinary;
  } catch {
    return false; // exited since ps listed it
  }
}
