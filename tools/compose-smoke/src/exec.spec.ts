import { describe, expect, it } from 'vitest';
import { describeExit, exec } from './exec.js';

const node = (script: string) => [process.execPath, '-e', script];
const base = { cwd: process.cwd(), env: process.env };

describe('exec', () => {
  it('returns the exit code, stdout, and both streams interleaved, line by line as they come', async () => {
    const lines: string[] = [];
    const result = await exec(node('console.log("out 1"); console.error("err"); process.stdout.write("out 2"); process.exitCode = 3'), {
      ...base,
      onLine: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ code: 3, signal: null, stopped: undefined });
    expect(result.stdout).toBe('out 1\nout 2');
    expect(result.output).toContain('err\n');
    expect(lines.sort()).toEqual(['err', 'out 1', 'out 2']);
  });

  it('stops a command past its time bound, children included', async () => {
    const began = Date.now();
    // The child starts a grandchild that holds the same output pipes: were it left running, the
    // pipes would stay open and exec would not return before the grandchild's 60 s are up.
    const script = `require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'inherit' }); setTimeout(() => {}, 60000)`;
    const result = await exec(node(script), { ...base, timeoutMs: 300 });
    expect(result.stopped).toBe('timed out after 0.3 s');
    expect(result.signal).toBe('SIGTERM');
    expect(Date.now() - began).toBeLessThan(5_000);
  });

  it('stops a command when the signal aborts, with the reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted by SIGINT')), 200);
    const result = await exec(node('setTimeout(() => {}, 60000)'), { ...base, signal: controller.signal });
    expect(result.stopped).toBe('interrupted by SIGINT');
    expect(describeExit(['docker-compose', 'up'], result)).toBe('`docker-compose up` failed (interrupted by SIGINT)');
  });

  it('reports a command that does not exist as a failure, not a crash', async () => {
    const result = await exec(['no-such-command-for-compose-smoke'], base);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/ENOENT/);
    expect(describeExit(['x'], { ...result, code: 1, stopped: undefined, signal: null })).toBe('`x` failed (exit code 1)');
  });
});
