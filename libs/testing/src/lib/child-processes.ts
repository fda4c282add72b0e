import { execFileSync } from 'node:child_process';

/**
 * Pids of this process's living `node` children: task processes and pool
 * workers. nats-server, and the ps that lists them, are not node.
 */
export function nodeChildPids(): number[] {
  return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, command]) => pid && command === 'node')
    .map(([pid]) => Number(pid));
}
