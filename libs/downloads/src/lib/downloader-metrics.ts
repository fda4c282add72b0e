import { Counter, Gauge, type Registry } from 'prom-client';
import type { DownloaderObserver, TaskOutcome } from './worker.js';

/**
 * The downloader's metrics: give the result to startDownloader as its
 * observer. `running` is read when Prometheus scrapes.
 */
export function downloaderMetrics(registry: Registry, running: () => number): DownloaderObserver {
  const started = new Counter({
    name: 'lab_downloads_started_total',
    help: 'Tasks this downloader started, retried ones included.',
    registers: [registry],
  });
  const retried = new Counter({
    name: 'lab_downloads_retried_total',
    help: 'Tasks this downloader started on a redelivery: another downloader died holding them, or handed them back stopping.',
    registers: [registry],
  });
  const ended = new Counter({
    name: 'lab_downloads_ended_total',
    help: 'Tasks this downloader ended, by outcome: done, cancelled, handed-back, expired (past their deadline), failed (their run did not take the finish).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'lab_downloads_running',
    help: 'Tasks running in this downloader now.',
    registers: [registry],
    collect() {
      this.set(running());
    },
  });
  return {
    taskStarted(attempt: number) {
      started.inc();
      if (attempt > 1) retried.inc();
    },
    taskEnded(outcome: TaskOutcome) {
      ended.inc({ outcome });
    },
  };
}
