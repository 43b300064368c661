/**
 * The step between points above which a line is broken (a gap in the data): five times the
 * median step of the points, and at least two pixel columns (`columnSeconds`), so a per-pixel
 * summary, whose points sit a column or so apart, is never cut while an outage is.
 */
export function gapThreshold(xs: ArrayLike<number>, columnSeconds: number): number {
  const n = xs.length;
  if (n < 3) return Infinity;
  // The median of at most 1,001 evenly spread steps: linear, and enough to find the cadence.
  const take = Math.min(n - 1, 1001);
  const steps: number[] = [];
  for (let k = 0; k < take; k++) {
    const i = Math.floor((k * (n - 1)) / take);
    steps.push(xs[i + 1]! - xs[i]!);
  }
  steps.sort((a, b) => a - b);
  const median = steps[steps.length >> 1]!;
  return Math.max(5 * median, 2 * columnSeconds);
}

/**
 * The points with a `null` value inserted halfway into every step longer than `threshold`
 * seconds, which uPlot draws as a break in the line. Non-numeric values (`true`, `false`) are
 * drawn as gaps too. Returns new arrays; linear in the points.
 */
export function withGaps(xs: ArrayLike<number>, ys: ArrayLike<number | null>, threshold: number): [number[], (number | null)[]] {
  const outX: number[] = [];
  const outY: (number | null)[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (i > 0 && x - xs[i - 1]! > threshold) {
      outX.push((x + xs[i - 1]!) / 2);
      outY.push(null);
    }
    outX.push(x);
    const y = ys[i];
    outY.push(typeof y === 'number' ? y : null);
  }
  return [outX, outY];
}
