// eslint-disable-next-line @nx/enforce-module-boundaries -- TEMPORARY until branch "runs" moves the metric adapters beside what they observe; remove at merge
import type { RunView } from '@concurrency-lab/simulation';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Seconds, from a 1 ms task to the 60 s a task may last at most. */
const TASK_SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The coordinator's simulation metrics. Give the returned function to
 * SimulationRuns as onRunEnded. A comparison counts once for each mode it ran.
 */
export function simulationMetrics(registry: Registry): (view: Readonly<RunView>) => void {
  const runs = new Counter({
    name: 'lab_simulation_runs_total',
    help: 'Simulation runs ended, by mode and outcome (finished, failed, cancelled); a comparison counts once per mode.',
    labelNames: ['mode', 'outcome'] as const,
    registers: [registry],
  });
  const taskSeconds = new Histogram({
    name: 'lab_simulation_task_duration_seconds',
    help: 'How long each task of a finished run took, from its start to its finish, by mode.',
    labelNames: ['mode'] as const,
    buckets: TASK_SECONDS_BUCKETS,
    registers: [registry],
  });
  return (view) => {
    for (const mode of view.modes) runs.inc({ mode, outcome: view.status });
    const report = view.report;
    if (!report) return;
    const modeReports = report.mode === 'compare' ? Object.values(report.runs) : [report];
    for (const modeReport of modeReports) {
      if (!modeReport) continue;
      for (const task of modeReport.tasks) taskSeconds.observe({ mode: modeReport.mode }, (task.finishMs - task.startMs) / 1000);
    }
  };
}
