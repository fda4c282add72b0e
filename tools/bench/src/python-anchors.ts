import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const anchorsDir = fileURLToPath(new URL('../anchors/', import.meta.url));
const PYTHON = process.env['BENCH_PYTHON'] ?? 'python3';

export interface PythonTasksResult {
  totalMs: number;
  idealMs: number;
  overheadMs: number;
  pids: number[];
  startMethod: string;
}

export interface PythonQueueResult {
  items: number;
  received: number;
  totalMs: number;
  itemsPerSec: number;
}

/** `Python 3.11.7`, or null when there is no python3 to run the anchors with. */
export function pythonVersion(): string | null {
  const probe = spawnSync(PYTHON, ['--version'], { encoding: 'utf8', timeout: 5_000 });
  return probe.status === 0 ? (probe.stdout || probe.stderr).trim() : null;
}

/** Runs one anchor script and parses the JSON line it prints; bounded by timeoutMs, killed past it. */
function runAnchor<T>(script: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [`${anchorsDir}${script}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = signal === 'SIGKILL' ? `killed after ${timeoutMs} ms` : `exit ${code ?? signal}`;
        reject(new Error(`${script} failed (${why}): ${stderr.trim().split('\n').pop() ?? ''}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T);
      } catch {
        reject(new Error(`${script} printed no JSON result: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

/** The lesson's downloads in Python: `sequential` in one process, or `processes`, one multiprocessing.Process per task. */
export function pythonTasks(
  mode: 'sequential' | 'processes',
  count: number,
  durationMs: number,
  signal?: AbortSignal,
): Promise<PythonTasksResult> {
  const budget = (mode === 'sequential' ? count * durationMs : durationMs) + 60_000;
  return runAnchor('download_tasks.py', [mode, String(count), String(durationMs)], budget, signal);
}

/** One writer and one reader process through a multiprocessing.Queue, sentinel-terminated. */
export function pythonQueue(items: number, signal?: AbortSignal): Promise<PythonQueueResult> {
  return runAnchor('writer_reader_queue.py', [String(items)], 120_000, signal);
}
