import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { nodeChildPids } from './child-processes.js';

describe('nodeChildPids', () => {
  it("lists this process's node children, and another process's", async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      expect(nodeChildPids()).toContain(child.pid);
      expect(nodeChildPids(process.ppid)).toContain(process.pid);
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    expect(nodeChildPids()).not.toContain(child.pid);
  });

  it('gives an empty list for a process with no children, or one that is gone', () => {
    expect(nodeChildPids(2 ** 22 + 1)).toEqual([]);
  });
});
