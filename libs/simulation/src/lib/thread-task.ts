/**
 * The program of a task thread (threads mode): one worker thread per task,
 * sharing the coordinator's process and pid but with a thread id and an event
 * loop of its own. It reports to the coordinator, which logs for it.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { epochNow } from '@concurrency-lab/clock';
import { isTaskAssignment, type TaskMessage } from './child-protocol.js';
import { performWork } from './workload.js';

const assignment: unknown = workerData;
if (!parentPort || !isTaskAssignment(assignment)) throw new Error('thread task: malformed assignment');
const port = parentPort;
const send = (message: TaskMessage) => port.postMessage(message);

const startedAt = epochNow();
send({ type: 'started', pid: process.pid, threadId, startedAt });
await performWork(assignment.workload, assignment.task.durationMs, assignment.iterationsPerMs);
send({ type: 'finished', pid: process.pid, threadId, startedAt, finishedAt: epochNow() });
