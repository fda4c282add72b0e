import type * as LoggerLibrary from '@concurrency-lab/logger';
import type * as TracingLibrary from '@concurrency-lab/tracing';
import type * as OpenTelemetryApi from '@opentelemetry/api';
import type { LogFormat, Logger } from '@concurrency-lab/logger';
import { createRequire } from 'node:module';

/** pino's level numbers for its level names: a task process decides whether it logs at all without loading pino. */
const LEVEL_NUMBERS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** Whether a logger at `level` writes info lines (a task's only lines); a level name pino knows that this table does not: assume it does. */
export function writesInfo(level: string): boolean {
  if (level === 'silent') return false;
  return (LEVEL_NUMBERS[level] ?? 0) <= (LEVEL_NUMBERS['info'] ?? 30);
}

const loggers = new Map<string, Logger>();

/**
 * The task process's logger, through the repo's logger (its own pid, the
 * coordinator's service name and format), or null when its level would drop
 * every line the task writes. Loaded on first use and kept for the next task
 * (a pool worker runs many): loading pino is most of a task process's own
 * start-up (about 35 ms and 30 files), so it is done only when lines will be
 * written, and after the task has reported its start. Required (an ES module
 * required synchronously, as Node 24 allows) rather than imported: the rest of
 * the library imports the logger statically, which a dynamic import() here
 * would forbid (Nx's module boundaries).
 */
export function taskLogger(service: string, level: string, format: LogFormat): Logger | null {
  if (!writesInfo(level)) return null;
  const key = `${service}:${level}:${format}`;
  let logger = loggers.get(key);
  if (!logger) {
    const { createLogger } = createRequire(import.meta.url)('@concurrency-lab/logger') as typeof LoggerLibrary;
    logger = createLogger({ service, level, format }).child({ role: 'task-process' });
    loggers.set(key, logger);
  }
  return logger;
}

/**
 * The ids of the span a task works for (its carrier came with the
 * assignment), for its log lines: `trace_id` and `span_id`. Nothing is loaded
 * unless a carrier came, that is, unless the coordinator traces.
 */
export function taskTraceFields(carrier: Record<string, string> | undefined): LoggerLibrary.TraceLogFields {
  if (!carrier) return {};
  const load = createRequire(import.meta.url);
  const { contextFromCarrier } = load('@concurrency-lab/tracing') as typeof TracingLibrary;
  const { trace } = load('@opentelemetry/api') as typeof OpenTelemetryApi;
  const { traceLogFieldsOf } = load('@concurrency-lab/logger') as typeof LoggerLibrary;
  return traceLogFieldsOf(trace.getSpanContext(contextFromCarrier(carrier)));
}
