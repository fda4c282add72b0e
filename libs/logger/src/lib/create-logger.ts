import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';
import type { PinoPretty, PrettyOptions } from 'pino-pretty';
import { activeTraceLogFields } from './trace-fields.js';

export type { Logger } from 'pino';

/** JSON lines for machines (the default), or one readable line per entry for people. */
export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  /** The service name every line carries, e.g. "coordinator". */
  service: string;
  /** pino level name; "info" when not given. */
  level?: string;
  /** "json" when not given. */
  format?: LogFormat;
  /** Where lines go; stdout when not given. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/**
 * pino-pretty's settings for LOG_FORMAT=pretty: one line per entry, so that
 * `docker compose logs | grep <runId>` still finds whole entries. The
 * service leads the message (npm start shows every service in one terminal);
 * the host is left out, as compose's prefix and the pid already tell replicas
 * apart. Colours only on a terminal, never in `docker compose logs` output.
 */
export function prettyOptions(colorize: boolean): PrettyOptions {
  return {
    colorize,
    singleLine: true,
    translateTime: 'UTC:HH:MM:ss.l',
    ignore: 'host,service',
    messageFormat: '{service}: {msg}',
  };
}

/**
 * The one root logger of a service. Every line carries the service name, the
 * host, the pid and an ISO time, so lines from several services interleaved in
 * one terminal or `docker compose logs` still tell whose they are.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings: PinoOptions = {
    level: options.level ?? 'info',
    // host tells replicas apart: in containers every service may be pid 7.
    base: { service: options.service, host: hostname(), pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names read better than numbers when a person greps the logs.
    formatters: { level: (label) => ({ level: label }) },
    // A line written inside a span names it (trace_id, span_id), so a trace leads to its logs and back.
    mixin: () => activeTraceLogFields(),
  };
  if (options.format === 'pretty') {
    // In this thread and synchronous, like the JSON lines below (no transport worker): a process that exits
    // right after logging still prints its last lines, in order.
    // Loaded only when asked for: it would add a tenth of a second to the start of every process that logs JSON.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
    const stream = pretty({
      ...prettyOptions(!options.destination && process.stdout.isTTY === true),
      destination: options.destination ?? 1,
      sync: true,
    });
    return pino(settings, stream);
  }
  if (options.destination) return pino(settings, options.destination);
  // Synchronous writes: pino's default stdout destination writes asynchronously, and a process that
  // exits right after logging (every graceful shutdown does) can print its last lines out of order.
  return pino(settings, pino.destination({ dest: 1, sync: true }));
}
