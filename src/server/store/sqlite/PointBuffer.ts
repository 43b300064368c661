import type { Point, PointValue } from '../../../codec/Point.js';

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
  length = 0;

  push(time: number, value: PointValue): void {
    const slot = this.length % CHUNK;
    if (slot === 0) {
      this.times.push(new Float64Array(CHUNK));
      this.values.push(new Float64Array(CHUNK));
      this.kinds.push(new Uint8Array(CHUNK));
    }
    const c = this.times.length - 1;
    this.times[c]![slot] = time;
    if (typeof value === 'number') {
      this.values[c]![slot] = value;
      this.kinds[c]![slot] = NUMBER;
    } else {
      this.kinds[c]![slot] = value === null ? NULL : value ? TRUE : FALSE;
    }
    this.length++;
  }

  /** Calls `fn(time, value)` for every point in insertion order. */
  forEach(fn: (time: number, value: PointValue) => void): void {
    this.forEachIn(0, this.length, fn);
  }

  /** Calls `fn(time, value)` for the points at positions `from` (inclusive) to `to` (exclusive). */
  forEachIn(from: number, to: number, fn: (time: number, value: PointValue) => void): void {
    for (let i = from; i < to; i++) {
      const c = (i / CHUNK) | 0;
      const s = i % CHUNK;
      const k = this.kinds[c]![s];
      fn(this.times[c]![s]!, k === NUMBER ? this.values[c]![s]! : k === NULL ? null : k === TRUE);
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
    this.length = 0;
  }
}
