// Adversarial-cost bounds on a shared, noisy machine: run once to warm up, then three times, and
// judge the best run (noise only ever adds time, so the best is the truest cost).

export interface TimedRun<T> {
  /** Wall time of the run, ms. */
  ms: number;
  result: T;
}

/**
 * Runs `task` once to warm up, then 3 times. Returns the fastest of the 3 runs, and all 3 (for a
 * second figure measured inside each run, e.g. a concurrent request's latency).
 */
export async function bestOfThree<T>(task: () => T | Promise<T>): Promise<TimedRun<T> & { runs: TimedRun<T>[] }> {
  await task();
  const runs: TimedRun<T>[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const result = await task();
    runs.push({ ms: performance.now() - started, result });
  }
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...best, runs };
}
