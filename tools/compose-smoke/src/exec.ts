import { spawn } from 'node:child_process';

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** stdout and stderr interleaved as they came. */
  output: string;
  /** Stopped by the time bound or the abort signal. */
  stopped: string | undefined;
}

export interface ExecOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Stops the command (its whole process group) when it fires. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Every output line as it comes, for progress lines. */
  onLine?: (line: string) => void;
}

/** Grace between SIGTERM and SIGKILL for a command being stopped. */
const KILL_GRACE_MS = 5_000;

/**
 * Runs a command to its end, bounded in time. The command gets its own
 * process group: a Ctrl-C in the terminal reaches this program only, which
 * then decides what to stop (and still runs the teardown's commands), and
 * stopping a command stops whatever it started too.
 */
export function exec(argv: readonly string[], options: ExecOptions): Promise<ExecResult> {
  const [command, ...args] = argv;
  if (!command) return Promise.reject(new Error('exec: empty command'));
  return new Promise((resolve) => {
    let stdout = '';
    let output = '';
    let stopped: string | undefined;
    // Lines are assembled per stream: a partial line on one must not run into the other's.
    const pending = { stdout: '', stderr: '' };
    const emitLines = (stream: keyof typeof pending, chunk: string, flush = false) => {
      if (!options.onLine) return;
      const lines = (pending[stream] + chunk).split(/\r?\n|\r/);
      pending[stream] = flush ? '' : (lines.pop() ?? '');
      for (const line of lines) if (line.trim() !== '') options.onLine(line);
    };
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      output += chunk;
      emitLines('stdout', chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      emitLines('stderr', chunk);
    });
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: string) => {
      if (stopped !== undefined || child.exitCode !== null || child.signalCode !== null) return;
      stopped = why;
      const kill = (signal: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      };
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const { timeoutMs } = options;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop(`timed out after ${timeoutMs / 1000} s`), timeoutMs);
    const onAbort = () => stop(options.signal?.reason instanceof Error ? options.signal.reason.message : 'stopped');
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      emitLines('stdout', '', true);
      emitLines('stderr', '', true);
      resolve({ code, signal, stdout, output, stopped });
    };
    child.on('error', (error) => {
      output += `${error.message}\n`;
      finish(null, null);
    });
    child.on('close', finish);
  });
}

/** One line for an error message: the command and how it ended. */
export function describeExit(argv: readonly string[], result: ExecResult): string {
  const how = result.stopped ?? (result.signal ? `killed by ${result.signal}` : `exit code ${String(result.code)}`);
  return `\`${argv.join(' ')}\` failed (${how})`;
}
