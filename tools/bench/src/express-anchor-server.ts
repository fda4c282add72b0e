/**
 * The bare Express 5 anchor: the coordinator's route shape (GET /healthz,
 * POST /simulations with a JSON body) and nothing else: no request ids, no
 * logging, no validation, no simulation. Run by the bench as its own process
 * (`node dist/express-anchor-server.js`), on 127.0.0.1 and a free port; it
 * prints one JSON line with the port, stops on SIGTERM and exits if the bench
 * that started it goes away.
 */
import express from 'express';
import { randomUUID } from 'node:crypto';

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1.5mb' }));
const startedAt = Date.now();

app.get('/healthz', (_request, response) => {
  response.json({ status: 'ok', service: 'bare-express', pid: process.pid, uptimeMs: Date.now() - startedAt });
});

app.post('/simulations', (request, response) => {
  const body = (request.body ?? {}) as { mode?: unknown; tasks?: unknown };
  const tasks = Array.isArray(body.tasks) ? (body.tasks as Record<string, unknown>[]) : [];
  response.status(201).json({
    runId: randomUUID(),
    mode: typeof body.mode === 'string' ? body.mode : 'compare',
    coordinatorPid: process.pid,
    totalMs: 0,
    idealMs: 0,
    overheadMs: 0,
    tasks: tasks.map((task) => ({ ...task, pid: process.pid, startMs: 0, finishMs: 0 })),
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
