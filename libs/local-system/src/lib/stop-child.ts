import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Whether a child process is still running (has not exited, by code or signal). */
export function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Sends the signal and waits until the child has exited; after graceMs a
 * SIGKILL follows, so a hung process cannot hold a shutdown forever.
 * Returns the exit code (null when a signal ended it).
 */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs = 15_000): Promise<number | null> {
  if (!running(child)) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
    return child.exitCode;
  } finally {
    clearTimeout(timer);
  }
}
