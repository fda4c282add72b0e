import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { watchTreeRss, type TreePeak } from './process-tree-memory.js';

const script = fileURLToPath(new URL('../anchors/download_tasks.py', import.meta.url));
const PYTHON = process.env['BENCH_PYTHON'] ?? 'python3';

/**
 * Python's `count` multiprocessing.Process objects of `durationMs` each (the
 * parallel overhead anchor's script), with the summed RSS of the python
 * process's descendants (its task processes) sampled while it runs.
 */
export async function pythonProcessesMemory(count: number, durationMs: number, signal?: AbortSignal): Promise<TreePeak> {
  const child = spawn(PYTHON, [script, 'processes', String(count), String(durationMs)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(signal ? { signal } : {}),
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-1_000)));
  const watch = watchTreeRss(() => child.pid);
  const timer = setTimeout(() => child.kill('SIGKILL'), durationMs + 60_000);
  // A failure to start still stops the sampling below: it must not outlive the anchor.
  const outcome = await once(child, 'close').then(
    ([code]) => code as number | null,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  clearTimeout(timer);
  const peak = await watch.stop();
  if (outcome instanceof Error) throw outcome;
  if (outcome !== 0) throw new Error(`download_tasks.py failed (exit ${outcome}): ${stderr.trim().split('\n').pop() ?? ''}`);
  return peak;
}
