/**
 * In ascending `times[from, to)`, the index of the first time above `time` (or at it, when
 * `included`); `to` when there is none. Binary search: log n, whatever the range.
 */
export function firstIndexAfter(times: ArrayLike<number>, time: number, included: boolean, from = 0, to = times.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = times[mid]!;
    if (t > time || (included && t === time)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
