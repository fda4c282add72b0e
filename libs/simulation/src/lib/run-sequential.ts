import type { Logger } from '@concurrency-lab/logger';
import { setTimeout as sleep } from 'node:timers/promises';
import { epochNow } from './clock.js';
import { buildRunReport, type RunReport, type TaskTiming } from './report.js';
import type { DownloadTask } from './tasks.js';

/** The lesson's single process: each download waits for the one before it. */
export async function runSequential(
  runId: string,
  tasks: readonly DownloadTask[],
  logger: Logger,
  signal?: AbortSignal,
): Promise<RunReport> {
  const runStart = epochNow();
  const timings: TaskTiming[] = [];
  for (const task of tasks) {
    const startedAt = epochNow();
    logger.info({ file: task.name }, 'download started');
    await sleep(task.durationMs, undefined, { signal });
    const finishedAt = epochNow();
    logger.info({ file: task.name, ms: Math.round(finishedAt - startedAt) }, 'download finished');
    timings.push({ ...task, pid: process.pid, startMs: startedAt - runStart, finishMs: finishedAt - runStart });
  }
  return buildRunReport(runId, 'sequential', epochNow() - runStart, timings);
}
