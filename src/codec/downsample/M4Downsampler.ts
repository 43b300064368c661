import type { Point, PointValue } from '../Point.js';
import type { M4Spec } from './DownsampleSpec.js';
import type { Downsampler } from './Downsampler.js';
import { PointOutbox } from './PointOutbox.js';
import { isBelow } from './isBelow.js';
import type { RunSummary } from './RunSummary.js';

/** An extreme of a column: a point, or (from a summary) a value whose time is in run `ref`. */
interface Extreme {
  time: number;
  value: number;
  /** Set while the time is not known yet: the run holding the value. */
  ref: number | undefined;
}

interface Column {
  first: Point;
  last: Point;
  min: Extreme | undefined;
  max: Extreme | undefined;
}

/**
 * The column of `time` among `points` equal columns over `[start, end)`: `⌊(time − start) · W /
 * (end − start)⌋`, at most W − 1. Monotone in `time`, so a run whose first and last points share a
 * column lies in it whole; the server and the client share it, so both cut columns alike.
 */
export function m4ColumnOf(time: number, spec: Pick<M4Spec, 'start' | 'end' | 'points'>): number {
  return Math.min(spec.points - 1, Math.floor(((time - spec.start) * spec.points) / (spec.end - spec.start)));
}

/** In ascending `times[from, to)`, the first index whose time is at least `time` (`to` when none). */
function firstAtOrAbove(times: ArrayLike<number>, time: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The {@link Downsampler} of M4: per column its first, last, smallest and largest point (the
 * earliest one among equal values; literals have no place on a line chart's y axis but stay as
 * first / last points), in time order, each once. Holds the open column, and closed columns
 * whose extremes came from a summary until {@link resolve} gives their times.
 */
export class M4Downsampler extends PointOutbox implements Downsampler {
  private column = Number.NaN;
  private open: Column | undefined;
  /** Closed columns not yet emitted (the first ones may wait for runs to be resolved). */
  private closed: Column[] = [];

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
    if (!this.open) return;
    this.closed.push(this.open);
    this.open = undefined;
    this.drain();
  }

  /** Moves closed columns whose extremes are known to the output, in order. */
  private drain(): void {
    let i = 0;
    for (; i < this.closed.length; i++) {
      const c = this.closed[i]!;
      if (c.min?.ref !== undefined || c.max?.ref !== undefined) break;
      const points: Point[] = [c.first];
      if (c.min) points.push([c.min.time, c.min.value]);
      if (c.max) points.push([c.max.time, c.max.value]);
      points.push(c.last);
      points.sort((a, b) => a[0] - b[0]);
      for (let k = 0; k < points.length; k++) if (k === 0 || points[k]![0] !== points[k - 1]![0]) this.out.push(points[k]!);
    }
    if (i > 0) this.closed.splice(0, i);
  }

  point(time: number, value: PointValue): void {
    const { start, end } = this.spec;
    if (!(time >= start && time < end)) return;
    const p: Point = [time, value];
    const c = this.enter(m4ColumnOf(time, this.spec), p);
    c.last = p;
    if (typeof value !== 'number') return;
    if (!c.min || isBelow(value, c.min.value)) c.min = { time, value, ref: undefined };
    if (!c.max || isBelow(c.max.value, value)) c.max = { time, value, ref: undefined };
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
    const stop = firstAtOrAbove(times, end, i, to);
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
      for (let k = i; k < j; k++) {
        const v = values[k]!;
        if (typeof v !== 'number') continue;
        if (min < 0 || isBelow(v, values[min] as number)) min = k;
        if (max < 0 || isBelow(values[max] as number, v)) max = k;
      }
      const c = this.enter(column, [times[i]!, values[i]!]);
      c.last = [times[j - 1]!, values[j - 1]!];
      if (min >= 0) {
        const v = values[min] as number;
        if (!c.min || isBelow(v, c.min.value)) c.min = { time: times[min]!, value: v, ref: undefined };
        const w = values[max] as number;
        if (!c.max || isBelow(c.max.value, w)) c.max = { time: times[max]!, value: w, ref: undefined };
      }
      i = j;
    }
  }

  takesSummary(s: RunSummary): boolean {
    return s.start >= this.spec.start && s.end < this.spec.end && m4ColumnOf(s.start, this.spec) === m4ColumnOf(s.end, this.spec);
  }

  summary(s: RunSummary, ref: number): void {
    const c = this.enter(m4ColumnOf(s.start, this.spec), s.first);
    c.last = s.last;
    if (s.min !== null && (!c.min || isBelow(s.min, c.min.value))) c.min = { time: Number.NaN, value: s.min, ref };
    if (s.max !== null && (!c.max || isBelow(c.max.value, s.max))) c.max = { time: Number.NaN, value: s.max, ref };
  }

  unresolved(): readonly number[] {
    const refs = new Set<number>();
    for (const c of this.open ? [...this.closed, this.open] : this.closed) {
      if (c.min?.ref !== undefined) refs.add(c.min.ref);
      if (c.max?.ref !== undefined) refs.add(c.max.ref);
    }
    return [...refs];
  }

  resolve(ref: number, times: ArrayLike<number>, values: ArrayLike<PointValue>): void {
    const place = (e: Extreme | undefined): void => {
      if (e?.ref !== ref) return;
      for (let i = 0; i < times.length; i++) {
        if (Object.is(values[i], e.value)) {
          e.time = times[i]!;
          e.ref = undefined;
          return;
        }
      }
      throw new Error(`M4: run ${ref} holds no value ${e.value} (its summary does not match its points)`);
    };
    for (const c of this.open ? [...this.closed, this.open] : this.closed) {
      place(c.min);
      place(c.max);
    }
    this.drain();
  }

  finish(): void {
    this.close();
    this.column = Number.NaN;
  }
}
