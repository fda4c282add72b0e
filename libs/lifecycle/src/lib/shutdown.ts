import type { Logger } from '@concurrency-lab/logger';

export interface ShutdownOptions {
  logger: Logger;
  /** After this long the process exits 1 even if a step still runs; below compose's 10 s stop grace by default. */
  graceMs?: number;
  signals?: NodeJS.Signals[];
  /** How to end the process; tests pass their own. */
  exit?: (code: number) => void;
}

/**
 * Runs the service's shutdown once, on the first SIGTERM or SIGINT: the steps
 * stop taking work, finish or hand back what is in flight and drain NATS.
 * A second signal, or a shutdown past the grace period, exits at once with 1.
 * Returns a function that starts the same shutdown without a signal.
 */
export function handleShutdown(steps: () => Promise<void>, options: ShutdownOptions): (reason: string) => Promise<void> {
  const { logger, graceMs = 8_000, signals = ['SIGTERM', 'SIGINT'] } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    if (running) return running;
    logger.info({ reason }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took longer than the grace period; exiting');
      exit(1);
    }, graceMs);
    timer.unref();
    running = steps().then(
      () => {
        clearTimeout(timer);
        logger.info('shutdown complete');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
    return running;
  };

  for (const signal of signals) {
    process.on(signal, () => {
      if (running) {
        logger.warn({ signal }, 'second signal during shutdown; exiting now');
        exit(1);
        return;
      }
      void shutdown(signal);
    });
  }
  return shutdown;
}
