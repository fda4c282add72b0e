/**
 * Milliseconds since the epoch with sub-millisecond precision. Unlike
 * performance.now() alone, readings from different processes on one host
 * can be compared, which is how a child's start is placed on the run's timeline.
 */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Rounds to 0.1 ms: finer digits are noise at this scale. */
export function roundMs(value: number): number {
  return Math.round(value * 10) / 10;
}
