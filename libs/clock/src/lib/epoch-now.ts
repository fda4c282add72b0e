/**
 * Milliseconds since the epoch with sub-millisecond precision. Unlike
 * performance.now() alone, readings from different processes and threads on
 * one host can be compared, which is how a child's start is placed on a
 * simulation's timeline and a queue item's write and read on a queue run's.
 */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
