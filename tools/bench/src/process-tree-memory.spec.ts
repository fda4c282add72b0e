import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { descendantPids, descendantsOf, descendantsRss, parentPidOf, watchTreeRss } from './process-tree-memory.js';

describe('process tree memory', () => {
  it('reads the parent pid even when the command holds spaces and parentheses', () => {
    expect(parentPidOf('4242 (a (b) c) S 17 4242 1 0 -1')).toBe(17);
  });

  it('finds children and their children, not siblings', () => {
    const parents = new Map([
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 1],
    ]);
    expect(descendantsOf(2, parents).sort()).toEqual([3, 4]);
  });

  it('sums the RSS of real child processes, leaving out the excluded ones', async () => {
    const before = descendantPids(process.pid);
    const children = [0, 1].map(() => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }));
    try {
      await Promise.all(children.map((child) => once(child, 'spawn')));
      const watch = watchTreeRss(() => process.pid, before, 5);
      // A node process is tens of MiB resident once it runs; wait until both are that far.
      let now = descendantsRss(process.pid, before);
      for (let i = 0; i < 200 && (now.processes < 2 || now.bytes < 2 * 10 * 1024 * 1024); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        now = descendantsRss(process.pid, before);
      }
      expect(now.processes).toBe(2);
      expect(now.ownBytes).toBeLessThan(now.bytes);
      const peak = await watch.stop();
      expect(peak.samples).toBeGreaterThan(0);
      expect(peak.mostProcesses).toBe(2);
      const withoutOne = descendantsRss(process.pid, new Set([...before, children[0]?.pid ?? 0]));
      expect(withoutOne.processes).toBe(1);
    } finally {
      for (const child of children) child.kill('SIGKILL');
    }
  });
});
