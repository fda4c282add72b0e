import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDocCommands } from './run.js';

const fence = '```';
const root = mkdtempSync(join(tmpdir(), 'docs-check-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const block = (marker: string, ...lines: string[]) => [marker, `${fence}sh`, ...lines, fence, ''].join('\n');

describe('runDocCommands', () => {
  it('runs the blocks of one tag in file order, commands sharing a shell, and reports each exit status', async () => {
    writeFileSync(
      join(root, 'one.md'),
      [
        block('<!-- runs-in: smoke -->', 'GREETING=hello', 'echo "$GREETING" > first.txt', 'false', 'echo after >> first.txt'),
        block('<!-- runs-in: other -->', 'touch other.txt'),
        block('<!-- not-run: just an example -->', 'touch not-run.txt'),
      ].join('\n'),
    );
    writeFileSync(join(root, 'two.md'), block('<!-- runs-in: smoke -->', 'cat first.txt \\', '  | wc -l > second.txt'));
    const seen: number[] = [];
    const report = await runDocCommands({
      files: ['one.md', 'two.md'],
      tag: 'smoke',
      cwd: root,
      onBlock: (result) => seen.push(result.line),
    });
    expect(seen).toEqual([2, 2]);
    expect(report.ok).toBe(false);
    expect(report.blocks.map((b) => [b.file, b.ok])).toEqual([
      ['one.md', false],
      ['two.md', true],
    ]);
    expect(report.blocks[0]!.commands.map((c) => [c.line, c.exitCode])).toEqual([
      [3, 0],
      [4, 0],
      [5, 1],
      [6, 0],
    ]);
    expect(readFileSync(join(root, 'first.txt'), 'utf8')).toBe('hello\nafter\n');
    expect(readFileSync(join(root, 'second.txt'), 'utf8').trim()).toBe('2');
    expect(existsSync(join(root, 'other.txt'))).toBe(false);
    expect(existsSync(join(root, 'not-run.txt'))).toBe(false);
  });

  it('makes the replacements, passes the environment and counts a failure before a pipe', async () => {
    writeFileSync(join(root, 'env.md'), block('<!-- runs-in: smoke -->', 'echo "$PROJECT 127.0.0.1:3000" > env.txt', 'false | true'));
    const report = await runDocCommands({
      files: ['env.md'],
      tag: 'smoke',
      cwd: root,
      env: { ...process.env, PROJECT: 'clab-smoke-x' },
      replace: [['127.0.0.1:3000', '127.0.0.1:3100']],
    });
    expect(readFileSync(join(root, 'env.txt'), 'utf8')).toBe('clab-smoke-x 127.0.0.1:3100\n');
    expect(report.blocks[0]!.commands.map((c) => c.exitCode)).toEqual([0, 1]);
    expect(report.blocks[0]!.commands[0]!.command).toContain('127.0.0.1:3100');
  });

  it('stops a block past its bound, background jobs included, and says why', async () => {
    writeFileSync(join(root, 'slow.md'), block('<!-- runs-in: smoke -->', 'sleep 60 &', 'sleep 60', 'echo never'));
    const began = performance.now();
    const report = await runDocCommands({ files: ['slow.md'], tag: 'smoke', cwd: root, timeoutMs: 500 });
    expect(performance.now() - began).toBeLessThan(10_000);
    expect(report.ok).toBe(false);
    expect(report.blocks[0]!.stopped).toMatch(/timed out after 500 ms/);
    expect(report.blocks[0]!.commands.map((c) => c.exitCode)).toEqual([0, null, null]);
  });

  it("gives each command its own output, and the block's output without the marks", async () => {
    writeFileSync(
      join(root, 'fine.md'),
      block('<!-- runs-in: smoke -->', 'echo out', 'echo err >&2', 'printf "no newline"; echo more >&2'),
    );
    const report = await runDocCommands({ files: ['fine.md'], tag: 'smoke', cwd: root });
    expect(report.ok).toBe(true);
    expect(report.blocks[0]!.commands.map((c) => c.output)).toEqual(['out\n', 'err\n', 'no newlinemore\n']);
    expect(report.blocks[0]!.output).not.toContain('docs-check-end');
    expect(report.blocks[0]!.output).toContain('no newline');
  });
});
