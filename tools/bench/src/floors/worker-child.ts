/** The Worker floor's thread: an empty module that waits the task's duration (workerData, ms), posts one message and ends. */
import { parentPort, workerData } from 'node:worker_threads';

setTimeout(() => parentPort?.postMessage('done'), Number(workerData));
