import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LineLog, type LogLine } from './line-log.js';
import { stopChild } from './stop-child.js';

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every JSON log line the process has written to stdout so far (none with `output: 'inherit'`). */
  readonly lines: LogLine[];
  /** Resolves with the first line, past or future, that matches. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM (or the given signal), then the exit code once it has exited; SIGKILL after timeoutMs. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

export interface ServiceProcessOptions {
  /** Repeats each line on this process's stdout/stderr, prefixed with the name. */
  echo?: boolean;
  /** The output passed straight to this terminal (colours of a pretty log kept), not read: no lines to await. */
  output?: 'collect' | 'inherit';
  /** A process group of its own: a terminal's Ctrl-C reaches only the caller, which then stops it gracefully. */
  detached?: boolean;
  cwd?: string;
}

/**
 * Runs a built service (`node dist/main.js`) as a real child process and
 * collects its JSON log lines, so callers can await what it says it did.
 */
export function startServiceProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  options: ServiceProcessOptions = {},
): ServiceProcess {
  const inherit = options.output === 'inherit';
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', inherit ? 'inherit' : 'pipe', inherit ? 'inherit' : 'pipe'],
    detached: options.detached ?? false,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const stderr: string[] = [];
  const log: LineLog = new LineLog((): string =>
    [...log.lines.slice(-10).map((line: LogLine) => JSON.stringify(line)), ...stderr.slice(-10)].join('\n'),
  );

  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (options.echo) process.stdout.write(`[${name}] ${text}\n`);
      log.push(text);
    });
  }
  if (child.stderr) {
    createInterface({ input: child.stderr }).on('line', (text) => {
      stderr.push(text);
      if (options.echo) process.stderr.write(`[${name}] ${text}\n`);
    });
  }

  // 'close' comes after the last line of output has been read: only then is an awaited line certain never to come.
  let closed = false;
  const gone = () =>
    new Error(`${name} exited with ${child.exitCode ?? child.signalCode} before the awaited log line; last lines:\n${log.describeTail()}`);
  child.once('close', () => {
    closed = true;
    log.fail(gone());
  });

  return {
    name,
    child,
    pid: child.pid,
    lines: log.lines,
    waitForLine(match, timeoutMs = 15_000) {
      const waiting = log.waitForLine(match, timeoutMs, name);
      if (closed) log.fail(gone());
      return waiting;
    },
    stop: (signal = 'SIGTERM', timeoutMs = 15_000) => stopChild(child, signal, timeoutMs),
  };
}
