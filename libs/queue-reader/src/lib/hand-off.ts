/**
 * A queue between a producer that must never wait (messages arriving) and a
 * consumer that takes its time (reads): each pushed value is out of the
 * producer's hands at once, where the consumer and a keep-alive can see it.
 */
export class HandOff<T> {
  private readonly values: T[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  push(value: T): void {
    this.values.push(value);
    this.wake?.();
  }

  /** No more values: iteration ends once the pushed ones are taken. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.values.length > 0) {
        yield this.values.shift() as T;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
