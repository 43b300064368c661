import type { Columns } from './Columns.js';
import type { OwnedColumns } from './mergeColumns.js';

/** Points `from` (inclusive) to `to` (exclusive) of `c`, as owned columns (times share `c`'s buffer when it is a Float64Array). */
export function sliceColumns(c: Columns, from: number, to: number): OwnedColumns {
  const times = c.times instanceof Float64Array ? c.times.subarray(from, to) : Float64Array.from(Array.prototype.slice.call(c.times, from, to) as number[]);
  const values = Array.prototype.slice.call(c.values, from, to) as OwnedColumns['values'];
  return { times, values };
}
