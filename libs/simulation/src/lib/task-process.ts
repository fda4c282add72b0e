/**
 * The program of a task process: like the lesson's multiprocessing.Process,
 * an OS process of its own that "downloads" and logs with its own pid. It
 * takes tasks over IPC one at a time: in processes mode it gets one and the
 * coordinator then disconnects; as a pool worker it stays for the next.
 */
import { createLogger, type LogFormat, type Logger } from '@concurrency-lab/logger';
import { epochNow } from '@concurrency-lab/clock';
import { isTaskAssignment, type TaskMessage } from './child-protocol.js';
import { performWork } from './workload.js';

// If the coordinator goes away (done with us, crashed, killed -9) the IPC
// channel closes: end at once instead of living on as an orphan.
process.once('disconnect', () => process.exit(0));

const loggers = new Map<string, Logger>();
function loggerFor(service: string, level: string, format: LogFormat): Logger {
  const key = `${service}:${level}:${format}`;
  let logger = loggers.get(key);
  if (!logger) loggers.set(key, (logger = createLogger({ service, level, format }).child({ role: 'task-process' })));
  return logger;
}

function send(message: TaskMessage): void {
  process.send?.(message);
}

process.on('message', async (message: unknown) => {
  if (!isTaskAssignment(message)) {
    process.stderr.write('task process: malformed assignment\n');
    process.exit(2);
  }
  const { runId, mode, task, workload, iterationsPerMs } = message;
  const logger = loggerFor(message.service, message.logLevel, message.logFormat === 'pretty' ? 'pretty' : 'json').child({ runId, mode });
  const startedAt = epochNow();
  send({ type: 'started', pid: process.pid, threadId: 0, startedAt });
  logger.info({ file: task.name, workload }, 'download started');
  await performWork(workload, task.durationMs, iterationsPerMs);
  const finishedAt = epochNow();
  logger.info({ file: task.name, workload, ms: Math.round(finishedAt - startedAt) }, 'download finished');
  send({ type: 'finished', pid: process.pid, threadId: 0, startedAt, finishedAt });
});
