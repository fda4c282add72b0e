/**
 * Whether a reader may start taking items: closed while any run's pause
 * lasts, so overlapping runs cannot resume each other's, and never longer than
 * a pause's time to live, so a coordinator that died before resuming cannot
 * leave readers paused for good.
 */
export class PauseGate {
  /** When each run's pause ends, by run id. */
  private readonly pauses = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private openForGood = false;

  constructor(private readonly now: () => number = Date.now) {}

  pause(runId: string, ttlMs: number): void {
    this.pauses.set(runId, this.now() + ttlMs);
  }

  resume(runId: string): void {
    this.pauses.delete(runId);
    this.wakeAll();
  }

  /** Opens the gate whatever the pauses (the reader is stopping) and lets every waiter through. */
  release(): void {
    this.openForGood = true;
    this.wakeAll();
  }

  get isOpen(): boolean {
    return this.closedUntil() === 0;
  }

  /** Resolves at once if the gate is open, else once it opens (a resume, a release, or the last pause running out). */
  async waitOpen(): Promise<void> {
    for (let until = this.closedUntil(); until > 0; until = this.closedUntil()) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, until - this.now()));
        this.waiters.add(done);
      });
    }
  }

  /** When the last pause ends (epoch ms), or 0 when the gate is open; forgets pauses that have run out. */
  private closedUntil(): number {
    if (this.openForGood || this.pauses.size === 0) return 0;
    const now = this.now();
    let until = 0;
    for (const [runId, end] of this.pauses) {
      if (end <= now) this.pauses.delete(runId);
      else until = Math.max(until, end);
    }
    return until;
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
