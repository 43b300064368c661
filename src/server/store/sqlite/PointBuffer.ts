import type { Point, PointValue } from '../../../codec/Point.js';
import type { Columns } from '../chunks/Columns.js';

const CHUNK = 65536;
const NUMBER = 0;
const NULL = 1;
const TRUE = 2;
const FALSE = 3;

/**
 * Points held compactly (17 bytes each, in typed-array chunks) instead of as tuples (~80 bytes),
 * so a staged upload of a million points costs ~17 MB.
 */
export class PointBuffer {
  private times: Float64Array[] = [];
  private values: Float64Array[] = [];
  private kinds: Uint8Array[] = [];
  /** Per chunk: whether a value is not a number (then its values cannot be handed out as a Float64Array). */
  private mixed: boolean[] = [];
  private last = -Infinity;
  /** Whether every time so far is above the one before (no sort, no duplicates): the common upload. */
  ascending = true;
  length = 0;

  push(time: number, value: PointValue): void {
    const slot = this.length % CHUNK;
    if (slot === 0) {
      this.times.push(new Float64Array(CHUNK));
      this.values.push(new Float64Array(CHUNK));
      this.kinds.push(new Uint8Array(CHUNK));
      this.mixed.push(false);
    }
    const c = this.times.length - 1;
    this.times[c]![slot] = time;
    if (!(time > this.last)) this.ascending = false;
    this.last = time;
    if (typeof value === 'number') {
      this.values[c]![slot] = value;
      this.kinds[c]![slot] = NUMBER;
    } else {
      this.kinds[c]![slot] = value === null ? NULL : value ? TRUE : FALSE;
      this.mixed[c] = true;
    }
    this.length++;
  }

  private valueAt(i: number): PointValue {
    const c = (i / CHUNK) | 0;
    const s = i % CHUNK;
    const k = this.kinds[c]![s];
    return k === NUMBER ? this.values[c]![s]! : k === NULL ? null : k === TRUE;
  }

  /**
   * The points sorted by time, the last one pushed winning at equal times, as runs of at most
   * `size` points (ascending, unique, each after the one before): what a commit hands the chunk
   * writer. Already ascending (the common case), the runs are views on the buffer, no copy, no
   * sort; otherwise a stable sort of positions (TimSort: cheap when mostly sorted). The runs are
   * valid until the buffer is cleared.
   */
  *sortedRuns(size: number): Generator<Columns> {
    if (this.ascending) {
      for (let c = 0; c < this.times.length; c++) {
        const n = Math.min(CHUNK, this.length - c * CHUNK);
        for (let from = 0; from < n; from += size) {
          const to = Math.min(n, from + size);
          const times = this.times[c]!.subarray(from, to);
          if (!this.mixed[c]) yield { times, values: this.values[c]!.subarray(from, to) };
          else {
            const values = new Array<PointValue>(to - from);
            for (let i = from; i < to; i++) values[i - from] = this.valueAt(c * CHUNK + i);
            yield { times, values };
          }
        }
      }
      return;
    }
    const n = this.length;
    const at = new Float64Array(n);
    for (let i = 0; i < n; i++) at[i] = this.times[(i / CHUNK) | 0]![i % CHUNK]!;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => at[a]! - at[b]! || a - b);
    let times = new Float64Array(Math.min(size, n));
    let values: PointValue[] = [];
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      // Of points at one time the last pushed is last in the stable order: it wins.
      if (k + 1 < n && at[order[k + 1]!] === at[i]) continue;
      times[values.length] = at[i]!;
      values.push(this.valueAt(i));
      if (values.length === size) {
        yield { times, values };
        times = new Float64Array(Math.min(size, n - k));
        values = [];
      }
    }
    if (values.length) yield { times: times.subarray(0, values.length), values };
  }

  /** Calls `fn(time, value)` for every point in insertion order. */
  forEach(fn: (time: number, value: PointValue) => void): void {
    this.forEachIn(0, this.length, fn);
  }

  /** Calls `fn(time, value)` for the points at positions `from` (inclusive) to `to` (exclusive). */
  forEachIn(from: number, to: number, fn: (time: number, value: PointValue) => void): void {
    for (let i = from; i < to; i++) {
      fn(this.times[(i / CHUNK) | 0]![i % CHUNK]!, this.valueAt(i));
    }
  }

  toPoints(): Point[] {
    const out: Point[] = [];
    this.forEach((t, v) => out.push([t, v]));
    return out;
  }

  clear(): void {
    this.times = [];
    this.values = [];
    this.kinds = [];
    this.mixed = [];
    this.last = -Infinity;
    this.ascending = true;
    this.length = 0;
  }
}
