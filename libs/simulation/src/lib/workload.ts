/**
 * What a task does for its duration. `io` waits (the lesson's download: the
 * process is idle, so anything can run meanwhile); `cpu` computes, so it needs
 * a core for the whole time.
 */
export const WORKLOADS = ['io', 'cpu'] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface Calibration {
  /** Iterations of the cpu kernel one core runs per millisecond. */
  iterationsPerMs: number;
  /** How long the calibration itself took. */
  tookMs: number;
  calibratedAt: string;
}

/**
 * The cpu kernel: an integer hash mixed over and over. Returned so the work
 * cannot be optimised away. Kept free of imports: it also runs in threads.
 */
export function cpuKernel(iterations: number, seed = 0x9e3779b9): number {
  let h = seed | 0;
  for (let i = 0; i < iterations; i++) {
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) | 0;
    h = (h + i) | 0;
  }
  return h;
}

/** About 2 ms of work between yields, so a cpu task shares its event loop the way async code would. */
const SLICE_MS = 2;

/**
 * Burns `durationMs` of one core in slices, yielding to the event loop between
 * them: the loop stays responsive, and tasks sharing one loop (async mode)
 * interleave instead of running back to back. Either way one loop gives one
 * core, which is the point the cpu workload makes.
 */
export async function burnCpu(durationMs: number, iterationsPerMs: number, signal?: AbortSignal): Promise<number> {
  let remaining = Math.round(durationMs * iterationsPerMs);
  const slice = Math.max(1, Math.round(SLICE_MS * iterationsPerMs));
  let h = 0;
  while (remaining > 0) {
    const now = Math.min(slice, remaining);
    h ^= cpuKernel(now, h);
    remaining -= now;
    if (remaining > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    // A cancelled run stops computing at the next slice instead of burning on unseen.
    signal?.throwIfAborted();
  }
  return h;
}

/**
 * Measures the kernel on this machine: how many iterations one core runs per
 * ms, so that a cpu task of N ms takes about N ms alone on a core. Takes the
 * best of several rounds, as other work on the machine only ever slows a round.
 */
export function calibrateCpu(sampleMs = 50, rounds = 5): Calibration {
  const started = performance.now();
  let iterations = 100_000;
  // Grow the sample until one round takes long enough to time well.
  for (;;) {
    const t0 = performance.now();
    cpuKernel(iterations);
    if (performance.now() - t0 >= sampleMs / 4) break;
    iterations *= 2;
  }
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    cpuKernel(iterations);
    best = Math.max(best, iterations / Math.max(performance.now() - t0, 0.001));
  }
  return { iterationsPerMs: Math.round(best), tookMs: Math.round(performance.now() - started), calibratedAt: new Date().toISOString() };
}

/**
 * Performs one task's work in the calling thread. An abort stops computing at
 * the next slice; a wait is left to its timer, which costs nothing meanwhile
 * (and a listener per timer would cost a thousand-task run its start-up).
 */
export async function performWork(workload: Workload, durationMs: number, iterationsPerMs: number, signal?: AbortSignal): Promise<void> {
  // Nothing to wait for: a timer of 0 ms would still cost a turn of the event loop (about 1 ms).
  if (durationMs <= 0) return;
  if (workload === 'cpu') await burnCpu(durationMs, iterationsPerMs, signal);
  else await new Promise<void>((resolve) => setTimeout(resolve, durationMs));
}
