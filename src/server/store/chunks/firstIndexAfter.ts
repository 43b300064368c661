/**
 * In ascending `times`, the index of the first time above `time` (or at it, when `included`):
 * binary search, so slicing a decoded chunk to a range costs log n.
 */
export function firstIndexAfter(times: ArrayLike<number>, time: number, included: boolean): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = times[mid]!;
    if (t > time || (included && t === time)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
