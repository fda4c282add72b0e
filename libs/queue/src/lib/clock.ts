/** Epoch ms with sub-ms precision, comparable across processes on one host. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
