import type { ChunkSummary } from '../chunk/ChunkSummary.js';
import { firstIndexAfter } from '../firstIndexAfter.js';
import type { Point, PointValue } from '../Point.js';
import type { M4Spec } from './DownsampleSpec.js';
import type { Downsampler } from './Downsampler.js';
import { PointOutbox } from './PointOutbox.js';
import { isBelow } from './isBelow.js';

interface Column {
  first: Point;
  last: Point;
  /** The smallest and largest numeric points so far (the earliest among equal values). */
  min: Point | undefined;
  max: Point | undefined;
}

/**
 * The column of `time` among `points` equal columns over `[start, end)`: `⌊(time − start) · W /
 * (end − start)⌋`, at most W − 1. Monotone in `time`, so a run whose first and last points share a
 * column lies in it whole; the server and the client share it, so both cut columns alike.
 */
export function m4ColumnOf(time: number, spec: Pick<M4Spec, 'start' | 'end' | 'points'>): number {
  return Math.min(spec.points - 1, Math.floor(((time - spec.start) * spec.points) / (spec.end - spec.start)));
}

/**
 * The {@link Downsampler} of M4: per column its first, last, smallest and largest point (the
 * earliest one among equal values; literals have no place on a line chart's y axis but stay as
 * first / last points), in time order, each once. Holds the open column only: a summary gives
 * its extremes with their times, so a column is emitted as soon as it closes.
 */
export class M4Downsampler extends PointOutbox implements Downsampler {
  private column = Number.NaN;
  private open: Column | undefined;

  constructor(private readonly spec: M4Spec) {
    super();
  }

  private enter(column: number, first: Point): Column {
    if (this.open && column === this.column) return this.open;
    this.close();
    this.column = column;
    return (this.open = { first, last: first, min: undefined, max: undefined });
  }

  private close(): void {
    const c = this.open;
    if (!c) return;
    this.open = undefined;
    const points: Point[] = [c.first];
    if (c.min) points.push(c.min);
    if (c.max) points.push(c.max);
    points.push(c.last);
    points.sort((x, y) => x[0] - y[0]);
    for (let k = 0; k < points.length; k++) if (k === 0 || points[k]![0] !== points[k - 1]![0]) this.out.push(points[k]!);
  }

  point(time: number, value: PointValue): void {
    const { start, end } = this.spec;
    if (!(time >= start && time < end)) return;
    const p: Point = [time, value];
    const c = this.enter(m4ColumnOf(time, this.spec), p);
    c.last = p;
    if (typeof value !== 'number') return;
    if (!c.min || isBelow(value, c.min[1] as number)) c.min = p;
    if (!c.max || isBelow(c.max[1] as number, value)) c.max = p;
  }

  /**
   * {@link point} for a run of points: each column's part of the run found by binary search (the
   * column of a time is monotone in it) and scanned in one loop for its extremes; tuples are made
   * only for the points kept.
   */
  points(times: ArrayLike<number>, values: ArrayLike<PointValue>, from = 0, to = times.length): void {
    const { spec } = this;
    const { start, end } = spec;
    let i = from;
    while (i < to && !(times[i]! >= start)) i++;
    const stop = firstIndexAfter(times, end, true, i, to);
    while (i < stop) {
      const column = m4ColumnOf(times[i]!, spec);
      // The first point of a later column: the column of a time never decreases with it.
      let lo = i + 1;
      let hi = stop;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (m4ColumnOf(times[mid]!, spec) === column) lo = mid + 1;
        else hi = mid;
      }
      const j = lo;
      let min = -1;
      let max = -1;
      if (values instanceof Float64Array) {
        // Every value a number (a decoded chunk without literals): plain compares, -0 only at a zero.
        min = max = i;
        let lo = values[i]!;
        let hi = lo;
        for (let k = i + 1; k < j; k++) {
          const v = values[k]!;
          if (v < lo || (v === 0 && lo === 0 && Object.is(v, -0) && !Object.is(lo, -0))) lo = values[(min = k)]!;
          if (v > hi || (v === 0 && hi === 0 && Object.is(hi, -0) && !Object.is(v, -0))) hi = values[(max = k)]!;
        }
      } else {
        for (let k = i; k < j; k++) {
          const v = values[k]!;
          if (typeof v !== 'number') continue;
          if (min < 0 || isBelow(v, values[min] as number)) min = k;
          if (max < 0 || isBelow(values[max] as number, v)) max = k;
        }
      }
      const c = this.enter(column, [times[i]!, values[i]!]);
      c.last = [times[j - 1]!, values[j - 1]!];
      if (min >= 0) {
        const v = values[min] as number;
        if (!c.min || isBelow(v, c.min[1] as number)) c.min = [times[min]!, v];
        const w = values[max] as number;
        if (!c.max || isBelow(c.max[1] as number, w)) c.max = [times[max]!, w];
      }
      i = j;
    }
  }

  takesSummary(s: ChunkSummary): boolean {
    return s.start >= this.spec.start && s.end < this.spec.end && m4ColumnOf(s.start, this.spec) === m4ColumnOf(s.end, this.spec);
  }

  summary(s: ChunkSummary): void {
    const c = this.enter(m4ColumnOf(s.start, this.spec), s.first);
    c.last = s.last;
    if (s.min === null || s.max === null || s.minTime === null || s.maxTime === null) return;
    if (!c.min || isBelow(s.min, c.min[1] as number)) c.min = [s.minTime, s.min];
    if (!c.max || isBelow(c.max[1] as number, s.max)) c.max = [s.maxTime, s.max];
  }

  finish(): void {
    this.close();
    this.column = Number.NaN;
  }
}
