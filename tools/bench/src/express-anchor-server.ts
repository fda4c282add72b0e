/**
 * The Express 5 anchors, one process: GET /healthz is bare (no request ids,
 * no logging, no security headers); POST /simulations is bare too, unless
 * the bench gives it a report to answer with (ANCHOR_REPORT: the
 * coordinator's own answer to the same body), and then it does the same work
 * as the coordinator's POST /simulations with no more than Express: JSON
 * body, a timer per task (together for `async`, one after another otherwise,
 * the body's durations), and an answer of the same shape and size (that
 * report with this run's id and timings). No validation, no run registry, no
 * records, no logging. Run by the bench as its own process
 * (`node dist/express-anchor-server.js`), on 127.0.0.1 and a free port; it
 * prints one JSON line with the port, stops on SIGTERM and exits if the bench
 * that started it goes away.
 */
import express from 'express';
import { randomUUID } from 'node:crypto';

interface AnchorTask {
  name?: unknown;
  durationMs?: unknown;
}

/** The report the same-work route answers with, its run id and timings replaced; bare when not given. */
const template = process.env['ANCHOR_REPORT'] ? (JSON.parse(process.env['ANCHOR_REPORT']) as Record<string, unknown>) : undefined;
const templateTasks = Array.isArray(template?.['tasks']) ? (template['tasks'] as Record<string, unknown>[]) : [];

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1.5mb' }));
const startedAt = Date.now();

app.get('/healthz', (_request, response) => {
  response.json({ status: 'ok', service: 'bare-express', pid: process.pid, uptimeMs: Date.now() - startedAt });
});

const durationOf = (task: AnchorTask) => (typeof task.durationMs === 'number' && task.durationMs > 0 ? task.durationMs : 0);

/** The coordinator's io wait for one task: a timer of its duration (none for 0 ms); its start and finish from the run's start. */
async function timedTask(task: AnchorTask, runStart: number): Promise<{ startMs: number; finishMs: number }> {
  const startMs = performance.now() - runStart;
  const duration = durationOf(task);
  if (duration > 0) await new Promise((resolve) => setTimeout(resolve, duration));
  return { startMs, finishMs: performance.now() - runStart };
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

app.post('/simulations', async (request, response) => {
  const body = (request.body ?? {}) as { mode?: unknown; tasks?: unknown };
  const tasks = Array.isArray(body.tasks) ? (body.tasks as AnchorTask[]) : [];
  if (!template) {
    response.status(201).json({
      runId: randomUUID(),
      mode: typeof body.mode === 'string' ? body.mode : 'compare',
      coordinatorPid: process.pid,
      totalMs: 0,
      idealMs: 0,
      overheadMs: 0,
      tasks: tasks.map((task) => ({ ...task, pid: process.pid, startMs: 0, finishMs: 0 })),
    });
    return;
  }
  const runStart = performance.now();
  const timings: { startMs: number; finishMs: number }[] = [];
  if (body.mode === 'async') timings.push(...(await Promise.all(tasks.map((task) => timedTask(task, runStart)))));
  else for (const task of tasks) timings.push(await timedTask(task, runStart));
  response.status(201).json({
    ...template,
    runId: randomUUID(),
    totalMs: round1(performance.now() - runStart),
    tasks: timings.map((timing, i) => ({ ...templateTasks[i], startMs: round1(timing.startMs), finishMs: round1(timing.finishMs) })),
  });
});

const server = app.listen(0, '127.0.0.1', (error?: Error) => {
  if (error) {
    process.stderr.write(`bare express: ${error.message}\n`);
    process.exit(1);
  }
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  process.stdout.write(JSON.stringify({ msg: 'listening', port, pid: process.pid }) + '\n');
});

const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1_000).unref();
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
