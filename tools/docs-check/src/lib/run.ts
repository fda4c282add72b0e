import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extractCommands, type CommandBlock } from './extract.js';

export interface RunDocCommandsOptions {
  /** Markdown files, relative to `root` (or absolute), in the order their blocks run. */
  files: readonly string[];
  /** Where `files` are (default: `cwd`). */
  root?: string;
  /** Runs the blocks marked `<!-- runs-in: TAG -->`. */
  tag: string;
  /** Where bash runs: the repository's root, or a scratch folder (then set COMPOSE_FILE in `env`) so that files the commands write land there. */
  cwd: string;
  /** bash's environment (default: this process's), e.g. with COMPOSE_PROJECT_NAME set. */
  env?: Record<string, string | undefined>;
  /** Bound on each block; past it the block's processes are killed and it fails (default 120 s). */
  timeoutMs?: number;
  /** Literal replacements made in every command before it runs, e.g. ['127.0.0.1:3000', '127.0.0.1:3100']. */
  replace?: readonly (readonly [string, string])[];
  /** Told each block's result as soon as it ends, for progress lines. */
  onBlock?: (result: BlockResult) => void;
  /** Stops the block under way (as a timeout does) and runs no more. */
  signal?: AbortSignal;
}

export interface CommandResult {
  file: string;
  line: number;
  /** The command as it ran, replacements made. */
  command: string;
  /** Its exit status; null when it never finished (the block was stopped, or an earlier line made bash exit). */
  exitCode: number | null;
  /** What it printed: its stdout, then its stderr. */
  output: string;
}

export interface BlockResult {
  file: string;
  line: number;
  commands: CommandResult[];
  /** stdout and stderr of the whole block, interleaved as they came. */
  output: string;
  /** Why the block was stopped (timeout, abort), if it was. */
  stopped: string | undefined;
  ok: boolean;
}

export interface RunReport {
  ok: boolean;
  blocks: BlockResult[];
}

const DEFAULT_TIMEOUT_MS = 120_000;
const KILL_GRACE_MS = 3_000;
const STATUS_FUNCTION = '__docs_check_status';
/** Printed on stdout and stderr after each command, so that each stream's output can be told apart by command. */
const OUTPUT_MARK = '\u001edocs-check-end';

function applyReplacements(text: string, replace: RunDocCommandsOptions['replace']): string {
  return (replace ?? []).reduce((current, [from, to]) => current.split(from).join(to), text);
}

/**
 * One bash script for the block, so that its commands share variables and
 * background jobs as they would in a terminal; after each command its exit
 * status goes to file descriptor 3, and a mark to stdout and stderr.
 * pipefail: a failing command before a pipe counts.
 */
export function blockScript(commands: readonly string[]): string {
  const mark = `printf '\\n${OUTPUT_MARK}\\n'`;
  const lines = ['set -o pipefail', `${STATUS_FUNCTION}() { printf '%s %s\\n' "$1" "$2" >&3; ${mark}; ${mark} >&2; }`];
  commands.forEach((command, index) => lines.push(command, `${STATUS_FUNCTION} ${index} $?`));
  lines.push('wait');
  return `${lines.join('\n')}\n`;
}

/** One stream's output cut at the marks: the n-th piece is what the n-th command printed (the newline before each mark is the mark's own). */
function splitByMark(text: string): string[] {
  return text.split(`\n${OUTPUT_MARK}\n`);
}

function withoutMarks(text: string): string {
  return text.split(`\n${OUTPUT_MARK}\n`).join('');
}

function runBlock(block: CommandBlock, options: RunDocCommandsOptions): Promise<BlockResult> {
  const commands = block.commands.map((command) => applyReplacements(command.text, options.replace));
  const exitCodes: (number | null)[] = commands.map(() => null);
  return new Promise((resolveResult) => {
    let output = '';
    const streams = { stdout: '', stderr: '' };
    let statusText = '';
    let stopped: string | undefined;
    // Its own process group, so that stopping the block stops whatever it started.
    const child = spawn('bash', ['-c', blockScript(commands)], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      streams.stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      streams.stderr += chunk;
    });
    const statusStream = child.stdio[3];
    if (statusStream && 'setEncoding' in statusStream)
      statusStream.setEncoding('utf8').on('data', (chunk: string) => (statusText += chunk));
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group has already gone.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: string) => {
      if (stopped !== undefined) return;
      stopped = why;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => stop(`timed out after ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => stop('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      for (const line of statusText.split('\n')) {
        const [index, status] = line.split(' ').map(Number);
        if (index !== undefined && status !== undefined && Number.isInteger(index) && index < exitCodes.length) exitCodes[index] = status;
      }
      const stdout = splitByMark(streams.stdout);
      const stderr = splitByMark(streams.stderr);
      const results = block.commands.map((command, index) => ({
        file: block.file,
        line: command.line,
        command: commands[index] ?? '',
        exitCode: exitCodes[index] ?? null,
        output: `${stdout[index] ?? ''}${stderr[index] ?? ''}`,
      }));
      const ok = stopped === undefined && code === 0 && results.every((result) => result.exitCode === 0);
      resolveResult({ file: block.file, line: block.line, commands: results, output: withoutMarks(output), stopped, ok });
    });
  });
}

/**
 * Runs every block marked `runs-in: <tag>` in the given files, in order, each
 * with bash in `cwd`, and reports each command's exit status. A failing
 * block does not stop the next ones (each result says what failed); an abort does.
 */
export async function runDocCommands(options: RunDocCommandsOptions): Promise<RunReport> {
  const blocks = options.files.flatMap((file) => {
    const markdown = readFileSync(resolve(options.root ?? options.cwd, file), 'utf8');
    return extractCommands(file, markdown).blocks.filter((block) => block.marker?.kind === 'runs-in' && block.marker.tag === options.tag);
  });
  const results: BlockResult[] = [];
  for (const block of blocks) {
    if (options.signal?.aborted) break;
    const result = await runBlock(block, options);
    results.push(result);
    options.onBlock?.(result);
  }
  return { ok: results.length === blocks.length && results.every((result) => result.ok), blocks: results };
}
