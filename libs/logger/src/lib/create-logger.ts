import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** The service name every line carries, e.g. "coordinator". */
  service: string;
  /** pino level name; "info" when not given. */
  level?: string;
  /** Human-readable output through pino-pretty; JSON lines otherwise. */
  pretty?: boolean;
  /** Where lines go; stdout when not given. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/**
 * The one root logger of a service. Every line is JSON with the service name,
 * the host, the pid and an ISO time, so lines from several services interleaved in one
 * terminal or `docker compose logs` still tell whose they are.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings: PinoOptions = {
    level: options.level ?? 'info',
    // host tells replicas apart: in containers every service may be pid 7.
    base: { service: options.service, host: hostname(), pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names read better than numbers when a person greps the logs.
    formatters: { level: (label) => ({ level: label }) },
  };
  if (options.destination) return pino(settings, options.destination);
  if (options.pretty) {
    return pino(settings, pino.transport({ target: 'pino-pretty', options: { colorize: true, ignore: 'hostname' } }));
  }
  // Synchronous writes: pino's default stdout destination writes asynchronously, and a process that
  // exits right after logging (every graceful shutdown does) can print its last lines out of order.
  return pino(settings, pino.destination({ dest: 1, sync: true }));
}
