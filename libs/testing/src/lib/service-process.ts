import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export type LogLine = Record<string, unknown> & { msg?: string };

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
  const lines: LogLine[] = [];
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  const stderr: string[] = [];

  createInterface({ input: stdout }).on('line', (text) => {
    if (options.echo) process.stdout.write(`[${name}] ${text}\n`);
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text, unparsed: true };
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  createInterface({ input: errors }).on('line', (text) => {
    stderr.push(text);
    if (options.echo) process.stderr.write(`[${name}] ${text}\n`);
  });

  const exited = once(child, 'exit').then(([code]) => code as number | null);

  return {
    name,
    child,
    pid: child.pid,
    lines,
    waitForLine(match, timeoutMs = 15_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<LogLine>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `${name}: no matching log line within ${timeoutMs} ms; last lines:\n` +
                [...lines.slice(-10).map((l) => JSON.stringify(l)), ...stderr.slice(-10)].join('\n'),
            ),
          );
        }, timeoutMs);
        const waiter = {
          match,
          resolve: (line: LogLine) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
        void exited.then((code) => {
          if (!waiters.includes(waiter)) return;
          clearTimeout(timer);
          reject(new Error(`${name} exited with ${code} before the awaited log line; stderr:\n${stderr.join('\n')}`));
        });
      });
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
