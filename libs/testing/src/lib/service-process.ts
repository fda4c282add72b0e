import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { LineLog, type LogLine } from './line-log.js';


export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every JSON log line the process has written to stdout so far. */
  readonly lines: LogLine[];
  /** Resolves with the first line, past or future, that matches. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM (or the given signal), then the exit code once it has exited. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/**
 * Runs a built service (`node dist/main.js`) as a real child process and
 * collects its JSON log lines, so tests can await what it says it did.
 */
export function startServiceProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  options: { echo?: boolean } = {},
): ServiceProcess {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { stdout, stderr: errors } = child;
  if (child.pid === undefined || !stdout || !errors) throw new Error(`${name} did not start`);
  const stderr: string[] = [];
  const log: LineLog = new LineLog((): string => [...log.lines.slice(-10).map((line: LogLine) => JSON.stringify(line)), ...stderr.slice(-10)].join('\n'));

  createInterface({ input: stdout }).on('line', (text) => {
    if (options.echo) process.stdout.write(`[${name}] ${text}\n`);
    log.push(text);
  });
  createInterface({ input: errors }).on('line', (text) => {
    stderr.push(text);
    if (options.echo) process.stderr.write(`[${name}] ${text}\n`);
  });

  const exited = once(child, 'exit').then(([code]) => code as number | null);
  // 'close' comes after the last line of output has been read: only then is an awaited line certain never to come.
  let closed = false;
  const gone = () => new Error(`${name} exited with ${child.exitCode ?? child.signalCode} before the awaited log line; stderr:\n${stderr.join('\n')}`);
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
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
