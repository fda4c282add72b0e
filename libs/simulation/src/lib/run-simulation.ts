import type { Logger } from '@concurrency-lab/logger';
import { randomUUID } from 'node:crypto';
import { buildCompareReport, type CompareReport, type RunReport } from './report.js';
import { tasksFor, type SimulationRequest } from './request.js';
import { runParallel } from './run-parallel.js';
import { runSequential } from './run-sequential.js';

export type SimulationReport = RunReport | CompareReport;

export interface SimulationOptions {
  logger: Logger;
  signal?: AbortSignal;
  runId?: string;
  random?: () => number;
}

/** Runs a validated request in its mode and reports the timings. */
export async function runSimulation(request: SimulationRequest, options: SimulationOptions): Promise<SimulationReport> {
  const runId = options.runId ?? randomUUID();
  const logger = options.logger.child({ runId });
  const tasks = tasksFor(request, options.random);
  logger.info({ mode: request.mode, tasks: tasks.length, scale: request.scale }, 'run started');
  let report: SimulationReport;
  if (request.mode === 'sequential') {
    report = await runSequential(runId, tasks, logger.child({ mode: 'sequential' }), options.signal);
  } else if (request.mode === 'parallel') {
    report = await runParallel(runId, tasks, logger.child({ mode: 'parallel' }), options.signal);
  } else {
    const sequential = await runSequential(runId, tasks, logger.child({ mode: 'sequential' }), options.signal);
    const parallel = await runParallel(runId, tasks, logger.child({ mode: 'parallel' }), options.signal);
    report = buildCompareReport(sequential, parallel);
  }
  if (report.mode === 'compare') {
    logger.info(
      { mode: 'compare', sequentialMs: report.sequential.totalMs, parallelMs: report.parallel.totalMs, speedup: report.speedup },
      'run finished',
    );
  } else {
    logger.info({ mode: report.mode, totalMs: report.totalMs, idealMs: report.idealMs, overheadMs: report.overheadMs }, 'run finished');
  }
  return report;
}
