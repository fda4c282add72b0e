/** Reads that take longer than this make the reader pull one item at a time, so several readers share slow work fairly. */
export const QUICK_READ_MS = 20;

/**
 * How many items the next pull asks for: one while reads are slow or the
 * queue was idle, doubling (up to a maximum) while reads are quick.
 */
export class BatchSize {
  private current = 1;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.current;
  }

  /** After each item handled: quick reads fetch more at once next time, a slow one one at a time. */
  handled(elapsedMs: number): void {
    this.current = elapsedMs >= QUICK_READ_MS ? 1 : Math.min(this.max, this.current * 2);
  }

  /** A pull that brought nothing: start small again, so the next run's first pull takes no more than one slow item. */
  idle(): void {
    this.current = 1;
  }
}
