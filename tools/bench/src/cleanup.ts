import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Everything the bench started, stopped in reverse order exactly once: at
 * the end, on an error, on Ctrl-C or SIGTERM, or when the deadline passes.
 */
export class Cleanup {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  /** Aborted on Ctrl-C, SIGTERM or the deadline: the bench starts nothing new and abandons what it awaits. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  constructor(private readonly log: (line: string) => void) {}

  /** Registers a stop step; the returned function unregisters it (the caller stopped the thing itself). */
  add(name: string, run: () => Promise<unknown>): () => void {
    const step = { name, run };
    this.steps.push(step);
    return () => {
      const index = this.steps.indexOf(step);
      if (index >= 0) this.steps.splice(index, 1);
    };
  }

  runAll(stepTimeoutMs = 20_000): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop();
        if (!step) break;
        try {
          const bounded = sleep(stepTimeoutMs, 'timeout' as const, { ref: false });
          const outcome = await Promise.race([step.run().then(() => 'done' as const), bounded]);
          if (outcome === 'timeout') this.log(`bench: stopping ${step.name} took over ${stepTimeoutMs} ms; moving on`);
        } catch (error) {
          this.log(`bench: stopping ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }

  /** Ctrl-C, SIGTERM and the deadline stop everything, then exit; a second Ctrl-C exits at once. */
  installExitHandlers(deadlineMs: number): () => void {
    let interrupted = false;
    const stopAndExit = (why: string, code: number) => {
      if (interrupted) {
        this.log(`bench: ${why} again; exiting now`);
        process.exit(code);
      }
      interrupted = true;
      this.log(`bench: ${why}; stopping everything it started`);
      this.stopping.abort(new Error(`bench ${why}`));
      void this.runAll().finally(() => process.exit(code));
    };
    const onSigint = () => stopAndExit('interrupted', 130);
    const onSigterm = () => stopAndExit('terminated', 143);
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    const deadline = setTimeout(() => stopAndExit(`deadline of ${Math.round(deadlineMs / 1000)} s passed`, 1), deadlineMs);
    return () => {
      clearTimeout(deadline);
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    };
  }
}
