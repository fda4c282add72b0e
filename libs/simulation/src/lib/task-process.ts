/**
 * The program of a task process: like the lesson's multiprocessing.Process,
 * an OS process of its own that "downloads" and logs with its own pid. It
 * takes tasks over IPC one at a time: in processes mode it gets one and the
 * coordinator then disconnects; as a pool worker it stays for the next.
 *
 * Every task process pays its own start-up, so this module loads only what
 * reporting a task needs (a few small files); the logger comes later (task-logger.ts).
 */
import { epochNow } from '@concurrency-lab/clock';
import { isTaskAssignment, type TaskMessage } from './child-protocol.js';
import { taskLogger, taskTraceFields } from './task-logger.js';
import { performWork } from './workload.js';

// If the coordinator goes away (done with us, crashed, killed -9) the IPC
// channel closes: end at once instead of living on as an orphan.
process.once('disconnect', () => process.exit(0));

function send(message: TaskMessage): void {
  process.send?.(message);
}

process.on('message', async (message: unknown) => {
  if (!isTaskAssignment(message)) {
    process.stderr.write('task process: malformed assignment\n');
    process.exit(2);
  }
  const { runId, mode, task, workload, iterationsPerMs } = message;
  const loggerOf = () =>
    taskLogger(message.service, message.logLevel, message.logFormat === 'pretty' ? 'pretty' : 'json')?.child({
      runId,
      mode,
      ...taskTraceFields(message.trace),
    });
  // A cpu task needs its core for all its time: load the logger before it starts, not inside its measured time.
  const early = workload === 'cpu' ? loggerOf() : undefined;
  const startedAt = epochNow();
  send({ type: 'started', pid: process.pid, threadId: 0, startedAt });
  // The work starts now; for an io task the logger loads meanwhile (it is idle for its whole duration).
  const working = performWork(workload, task.durationMs, iterationsPerMs);
  const logger = early ?? loggerOf();
  logger?.info({ file: task.name, workload }, 'download started');
  await working;
  const finishedAt = epochNow();
  logger?.info({ file: task.name, workload, ms: Math.round(finishedAt - startedAt) }, 'download finished');
  send({ type: 'finished', pid: process.pid, threadId: 0, startedAt, finishedAt });
});
