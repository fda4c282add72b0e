/**
 * docs-check: `check` (the default) fails when a shell block of the docs is
 * not marked or a relative link points nowhere; `list` shows every block and
 * its marker; `run --tag TAG` runs the blocks of a tag with bash.
 * Exit codes: 0 passed, 1 failed, 2 bad usage.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkDocs, docFiles } from './lib/docs.js';
import { runDocCommands, type BlockResult } from './lib/run.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const USAGE = `Usage: node tools/docs-check/dist/main.js [check | list | run] [options]

  check                 every shell block of README.md and docs/*.md is marked
                        (<!-- runs-in: TAG --> or <!-- not-run: REASON -->) and
                        every relative link points at a file that exists (default)
  list                  every shell block with its marker
  run --tag TAG         runs the blocks marked runs-in: TAG, in order, with bash
                        in the repository's root; exits 1 if a command failed

Options of run:
  --file F              a markdown file to take blocks from (repeatable; default README.md, docs/*.md)
  --replace FROM=TO     replace FROM by TO in every command (repeatable), e.g. 127.0.0.1:3000=127.0.0.1:3100
  --env NAME=VALUE      set NAME for the commands (repeatable), e.g. COMPOSE_PROJECT_NAME=clab-smoke-x
  --timeout-ms N        bound on each block (default 120000)
  --cwd DIR             where bash runs (default: the repository's root)
  --root DIR            the repository's root (default: this checkout's)`;

function pair(value: string, option: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0) throw new Error(`${option} takes NAME=VALUE, got "${value}"`);
  return [value.slice(0, at), value.slice(at + 1)];
}

function report(result: BlockResult): void {
  const mark = result.ok ? 'ok  ' : 'FAIL';
  process.stdout.write(`${mark} ${result.file}:${result.line}${result.stopped ? ` (${result.stopped})` : ''}\n`);
  for (const command of result.commands) {
    const status = command.exitCode === null ? 'not finished' : `exit ${command.exitCode}`;
    process.stdout.write(`       ${status.padEnd(12)} ${command.command.split('\n')[0]}\n`);
    // What a failed command printed, its last lines, terminal escapes (compose's progress) removed.
    if (command.exitCode !== 0 && command.output.trim() !== '') process.stdout.write(`${quoted(command.output)}\n`);
  }
}

/** ANSI escape sequences (ESC [ … letter), built from a string so that the pattern holds no control character. */
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

const quoted = (text: string) =>
  text
    .replace(ANSI_ESCAPE, '')
    .trimEnd()
    .split('\n')
    .slice(-30)
    .map((line) => `         | ${line}`)
    .join('\n');

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tag: { type: 'string' },
      file: { type: 'string', multiple: true },
      replace: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      'timeout-ms': { type: 'string' },
      root: { type: 'string' },
      cwd: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = values.root ?? ROOT;
  const command = positionals[0] ?? 'check';
  if (command === 'check' || command === 'list') {
    const checked = checkDocs(root);
    if (command === 'list') {
      for (const block of checked.blocks) {
        const marker = block.marker
          ? block.marker.kind === 'runs-in'
            ? `runs-in: ${block.marker.tag}`
            : `not-run: ${block.marker.reason}`
          : 'UNMARKED';
        process.stdout.write(
          `${block.file}:${block.line}  ${marker}\n${block.commands.map((c) => `    $ ${c.text.split('\n')[0]}`).join('\n')}\n`,
        );
      }
    }
    for (const problem of checked.problems) process.stderr.write(`${problem.file}:${problem.line}: ${problem.message}\n`);
    process.stdout.write(`${checked.files.length} files, ${checked.blocks.length} shell blocks, ${checked.problems.length} problems\n`);
    return checked.problems.length === 0 ? 0 : 1;
  }
  if (command !== 'run' || !values.tag) throw new Error(command === 'run' ? 'run needs --tag TAG' : `unknown command "${command}"`);
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0))
    throw new Error('--timeout-ms takes a positive whole number');
  const result = await runDocCommands({
    files: values.file ?? docFiles(root),
    tag: values.tag,
    root,
    cwd: values.cwd ?? root,
    env: { ...process.env, ...Object.fromEntries((values.env ?? []).map((value) => pair(value, '--env'))) },
    replace: (values.replace ?? []).map((value) => pair(value, '--replace')),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    onBlock: report,
  });
  const commands = result.blocks.flatMap((block) => block.commands);
  const failed = commands.filter((c) => c.exitCode !== 0).length;
  process.stdout.write(
    `${result.blocks.length} blocks, ${commands.length} commands tagged ${values.tag}: ${failed === 0 ? 'all exited 0' : `${failed} failed`}\n`,
  );
  return result.ok ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`docs-check: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exitCode = 2;
}
