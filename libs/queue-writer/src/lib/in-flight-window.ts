/**
 * At most `size` operations in flight at once: pipelining without unbounded
 * memory. A counter and a queue of waiters rather than Promise.race over the
 * pending operations, which costs a reaction per operation in flight on every
 * call: with a window of 256, that was most of a quick writer's time.
 */
export class InFlightWindow {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly onIdle: (() => void)[] = [];
  private readonly resumeAt: number;

  /**
   * @param size operations in flight at most
   * @param options.resumeAt once the window is full, waiters are let in again
   *   only when no more than this many are in flight (the size less one by
   *   default). A low mark lets a producer refill in bursts: NATS sends what
   *   is published in one go in one socket write, one at a time in one each.
   */
  constructor(
    readonly size: number,
    options: { resumeAt?: number } = {},
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a window holds at least 1 operation, not ${size}`);
    this.resumeAt = Math.min(size - 1, Math.max(0, options.resumeAt ?? size - 1));
  }

  get inFlight(): number {
    return this.active;
  }

  /** Takes a free slot at once if there is one and nobody is waiting for it. */
  tryAcquire(): boolean {
    if (this.active >= this.size || this.waiting.length > 0) return false;
    this.active++;
    return true;
  }

  /** Takes a slot, waiting (first come, first served) while none is free. */
  async acquire(): Promise<void> {
    if (this.tryAcquire()) return;
    // The slot is counted by release() as it lets the waiter in.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Gives a slot back; at the low mark, lets waiters in, the longest waiting first. */
  release(): void {
    this.active--;
    if (this.waiting.length > 0 && this.active <= this.resumeAt) {
      while (this.active < this.size && this.waiting.length > 0) {
        this.active++;
        (this.waiting.shift() as () => void)();
      }
    }
    if (this.active === 0) for (const idle of this.onIdle.splice(0)) idle();
  }

  /** Resolves once nothing is in flight. */
  async idle(): Promise<void> {
    if (this.active === 0) return;
    await new Promise<void>((resolve) => this.onIdle.push(resolve));
  }
}
