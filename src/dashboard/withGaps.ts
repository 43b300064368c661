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
 * drawn as gaps too. Linear in the points; when there is nothing to insert or replace, the
 * arrays given are returned as they are (no copy).
 */
export function withGaps(xs: ArrayLike<number>, ys: ArrayLike<number | null>, threshold: number): [ArrayLike<number>, ArrayLike<number | null>] {
  const n = xs.length;
  let gaps = 0;
  let clean = true;
  for (let i = 0; i < n; i++) {
    if (i > 0 && xs[i]! - xs[i - 1]! > threshold) gaps++;
    const y = ys[i];
    if (typeof y !== 'number' && y !== null) clean = false;
  }
  if (gaps === 0 && clean) return [xs, ys];
  const outX = new Array<number>(n + gaps);
  const outY = new Array<number | null>(n + gaps);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    if (i > 0 && x - xs[i - 1]! > threshold) {
      outX[k] = (x + xs[i - 1]!) / 2;
      outY[k++] = null;
    }
    const y = ys[i];
    outX[k] = x;
    outY[k++] = typeof y === 'number' ? y : null;
  }
  return [outX, outY];
}
