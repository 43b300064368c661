import type { PointValue } from '../../../codec/Point.js';
import type { Columns } from '../chunks/Columns.js';
import { mergeColumns } from '../chunks/mergeColumns.js';
import type { PointColumns } from '../Store.js';

function slice(c: Columns, from: number, to: number): PointColumns {
  if (from === 0 && to === c.times.length) return { times: c.times, values: c.values };
  const times = c.times instanceof Float64Array ? c.times.subarray(from, to) : Array.prototype.slice.call(c.times, from, to) as number[];
  const values =
    c.values instanceof Float64Array ? c.values.subarray(from, to) : (Array.prototype.slice.call(c.values, from, to) as PointValue[]);
  return { times, values };
}

/**
 * Cuts consecutive runs of points (ascending, each after the one before) into pieces of exactly
 * `size` points, the last piece shorter: what `readPoints(…, chunkSize)` promises, whatever size
 * the store's read steps have. Typed-array columns are cut without copying.
 */
export class ColumnsRechunker {
  private carry: PointColumns | undefined;

  constructor(private readonly size: number) {}

  /** The full pieces `run` completes; the rest waits for the next run or {@link flush}. */
  push(run: Columns): PointColumns[] {
    const out: PointColumns[] = [];
    const n = run.times.length;
    let i = 0;
    if (this.carry) {
      i = Math.min(this.size - this.carry.times.length, n);
      const joined = mergeColumns(this.carry, slice(run, 0, i));
      if (joined.times.length === this.size) {
        out.push(joined);
        this.carry = undefined;
      } else this.carry = joined;
    }
    for (; n - i >= this.size; i += this.size) out.push(slice(run, i, i + this.size));
    if (i < n) this.carry = slice(run, i, n);
    return out;
  }

  /** The last, short piece, if any. */
  flush(): PointColumns | undefined {
    const c = this.carry;
    this.carry = undefined;
    return c;
  }
}
