/**
 * The program each parallel task runs in: one OS process per download, like
 * the lesson's multiprocessing.Process. It takes its task over IPC, "downloads"
 * (waits), logs with its own pid, answers with its timings and exits.
 */
import { createLogger } from '@concurrency-lab/logger';
import { setTimeout as sleep } from 'node:timers/promises';
import { epochNow } from './clock.js';
import { isTaskAssignment, type TaskOutcome } from './task-protocol.js';

// If the coordinator goes away (crash, kill -9), the IPC channel closes: stop
// at once instead of living on as an orphan.
process.once('disconnect', () => process.exit(0));

process.once('message', async (message: unknown) => {
  if (!isTaskAssignment(message)) {
    process.stderr.write('task process: malformed assignment\n');
    process.exit(2);
  }
  const { runId, task, service, logLevel } = message;
  const logger = createLogger({ service, level: logLevel }).child({ runId, mode: 'parallel', role: 'task-process' });
  const startedAt = epochNow();
  logger.info({ file: task.name }, 'download started');
  await sleep(task.durationMs);
  const finishedAt = epochNow();
  logger.info({ file: task.name, ms: Math.round(finishedAt - startedAt) }, 'download finished');
  const outcome: TaskOutcome = { pid: process.pid, startedAt, finishedAt };
  process.send?.(outcome, () => process.disconnect());
});
