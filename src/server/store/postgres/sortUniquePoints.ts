import type { Point, PointValue } from '../../../codec/Point.js';
import type { OwnedColumns } from '../chunks/mergeColumns.js';

/**
 * Points in arrival order as columns ascending and unique by time, the last arrival winning at
 * equal times (a later point replaces an earlier one, as a write does). n log n.
 */
export function sortUniquePoints(points: readonly Point[]): OwnedColumns {
  const order = Array.from(points.keys()).sort((a, b) => points[a]![0] - points[b]![0] || a - b);
  const times = new Float64Array(order.length);
  const values: PointValue[] = [];
  let n = 0;
  for (let k = 0; k < order.length; k++) {
    const [t, v] = points[order[k]!]!;
    if (n > 0 && times[n - 1] === t) {
      times[n - 1] = t;
      values[n - 1] = v;
    } else {
      times[n++] = t;
      values.push(v);
    }
  }
  return { times: times.subarray(0, n), values };
}
