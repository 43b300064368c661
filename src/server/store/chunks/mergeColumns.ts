import type { PointValue } from '../../../codec/Point.js';
import type { Columns } from './Columns.js';

/** Columns that can be sliced and handed on (what {@link mergeColumns} returns). */
export interface OwnedColumns {
  times: Float64Array;
  values: PointValue[];
}

const EMPTY: OwnedColumns = { times: new Float64Array(0), values: [] };

/** Copies `c` into owned columns. */
export function ownColumns(c: Columns): OwnedColumns {
  return c.times.length === 0 ? EMPTY : { times: Float64Array.from(c.times), values: Array.from(c.values) };
}

/**
 * Merges two runs of points, each ascending and unique by time, into one: where both have a
 * time, `newer`'s value wins (a write replaces the point at its timestamp). Linear; when the runs
 * do not interleave (the common append) it is one copy.
 */
export function mergeColumns(older: Columns, newer: Columns): OwnedColumns {
  const n = older.times.length;
  const m = newer.times.length;
  if (n === 0) return ownColumns(newer);
  if (m === 0) return ownColumns(older);
  const [first, second] = older.times[n - 1]! < newer.times[0]! ? [older, newer] : newer.times[m - 1]! < older.times[0]! ? [newer, older] : [undefined, undefined];
  if (first && second) {
    const times = new Float64Array(n + m);
    times.set(first.times, 0);
    times.set(second.times, first.times.length);
    const values = Array.from(first.values);
    for (let i = 0; i < second.values.length; i++) values.push(second.values[i]!);
    return { times, values };
  }
  const times = new Float64Array(n + m);
  const values = new Array<PointValue>(n + m);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < n && j < m) {
    const a = older.times[i]!;
    const b = newer.times[j]!;
    if (a < b) {
      times[k] = a;
      values[k++] = older.values[i++]!;
    } else {
      if (a === b) i++;
      times[k] = b;
      values[k++] = newer.values[j++]!;
    }
  }
  for (; i < n; i++, k++) {
    times[k] = older.times[i]!;
    values[k] = older.values[i]!;
  }
  for (; j < m; j++, k++) {
    times[k] = newer.times[j]!;
    values[k] = newer.values[j]!;
  }
  values.length = k;
  return { times: times.subarray(0, k), values };
}
