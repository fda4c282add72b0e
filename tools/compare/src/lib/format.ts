import type { CompareReport, RunReport } from '@concurrency-lab/api-client';

const ms = (value: number) => `${value.toFixed(1)} ms`;

function where(report: RunReport): string {
  const pids = new Set(report.tasks.map((task) => task.pid));
  const threads = new Set(report.tasks.map((task) => task.threadId).filter((id) => id !== 0));
  const processes =
    pids.size === 1 && pids.has(report.coordinatorPid) ? 'coordinator process' : `${pids.size} process${pids.size === 1 ? '' : 'es'}`;
  return threads.size > 0 ? `${processes}, ${threads.size} thread${threads.size === 1 ? '' : 's'}` : processes;
}

/** Text columns: the first and last left-aligned, the figures between right-aligned. */
function table(rows: string[][]): string {
  const columns = rows[0]?.length ?? 0;
  const widths = Array.from({ length: columns }, (_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const align = (cell: string, column: number) =>
    column === 0 || column === columns - 1 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0);
  return rows.map((row) => row.map(align).join('  ').trimEnd()).join('\n');
}

/**
 * The comparison as a person reads it: what ran, one row per mode (speedup
 * against running them one after another), and for a few tasks, each task's
 * line like the lesson prints them: which pid downloaded what, from when to when.
 */
export function formatComparison(report: CompareReport): string {
  const first = Object.values(report.runs)[0];
  const tasks = first?.tasks ?? [];
  const sum = tasks.reduce((total, task) => total + task.durationMs, 0);
  const lines = [
    `${tasks.length} ${report.workload} task${tasks.length === 1 ? '' : 's'} (seed ${report.seed}), ${sum} ms of work in all, on ${report.hostCores} cores`,
    '',
    table([
      ['mode', 'total', 'ideal', 'overhead', 'speedup', 'efficiency', 'ran in'],
      ...report.table.map((row) => {
        const run = report.runs[row.mode];
        return [
          row.mode,
          ms(row.totalMs),
          ms(row.idealMs),
          ms(row.overheadMs),
          `${row.speedup.toFixed(2)}x`,
          `${Math.round(row.efficiency * 100)}%`,
          run ? where(run) : '',
        ];
      }),
    ]),
  ];
  if (tasks.length <= 8) {
    for (const row of report.table) {
      const run = report.runs[row.mode];
      if (!run) continue;
      lines.push('', `${row.mode}:`);
      for (const task of run.tasks) {
        const thread = task.threadId ? ` thread ${task.threadId}` : '';
        lines.push(
          `  ${task.name}: pid ${task.pid}${thread}, ${task.startMs.toFixed(1)} -> ${task.finishMs.toFixed(1)} ms (${task.durationMs} ms of work)`,
        );
      }
    }
  }
  lines.push('', 'speedup: against running the tasks one after another; efficiency: speedup / tasks the mode runs at once.');
  return lines.join('\n');
}
