import type { ChunkSummary } from '../chunk/ChunkSummary.js';
import { firstIndexAfter } from '../firstIndexAfter.js';
import type { Point, PointValue } from '../Point.js';
import type { BucketAggregate } from './BucketAggregate.js';
import type { BucketSpec } from './DownsampleSpec.js';
import type { Downsampler } from './Downsampler.js';
import { PointOutbox } from './PointOutbox.js';
import { isBelow } from './isBelow.js';

/**
 * The {@link Downsampler} of buckets aligned to multiples of `every` from the epoch: one point per
 * non-empty bucket, stamped with the bucket's start (`k · every`), valued by the aggregate
 * (see {@link BucketAggregate}). Holds one open bucket; O(1) a point.
 */
export class BucketDownsampler extends PointOutbox implements Downsampler {
  private readonly start: number;
  private readonly end: number;
  private readonly every: number;
  private readonly agg: BucketAggregate;
  private bucket = Number.NaN;
  private count = 0;
  private numbers = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private first: PointValue = null;
  private last: PointValue = null;

  constructor(spec: BucketSpec) {
    super();
    this.start = spec.start;
    this.end = spec.end;
    this.every = spec.every;
    this.agg = spec.agg;
  }

  /** Index of the bucket holding `time`. */
  private indexOf(time: number): number {
    return Math.floor(time / this.every);
  }

  private open(bucket: number): void {
    if (bucket === this.bucket) return;
    this.close();
    this.bucket = bucket;
  }

  private close(): void {
    if (this.count === 0) return;
    this.out.push([this.bucket * this.every, this.value()]);
    this.count = 0;
    this.numbers = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.sum = 0;
  }

  private value(): PointValue {
    const numeric = this.numbers > 0;
    switch (this.agg) {
      case 'count':
        return this.count;
      case 'first':
        return this.first;
      case 'last':
        return this.last;
      case 'min':
        return numeric ? this.min : null;
      case 'max':
        return numeric ? this.max : null;
      case 'sum':
        return numeric ? this.sum : null;
      case 'mean':
        return numeric ? this.sum / this.numbers : null;
    }
  }

  point(time: number, value: PointValue): void {
    if (!(time >= this.start && time < this.end)) return;
    this.open(this.indexOf(time));
    if (this.count === 0) this.first = value;
    this.count++;
    this.last = value;
    if (typeof value !== 'number') return;
    this.numbers++;
    if (isBelow(value, this.min)) this.min = value;
    if (isBelow(this.max, value)) this.max = value;
    this.sum += value;
  }

  /**
   * {@link point} for a run of points: each bucket's part of the run found by binary search (the
   * bucket of a time never decreases with it) and folded in one loop with the state in locals.
   */
  points(times: ArrayLike<number>, values: ArrayLike<PointValue>, from = 0, to = times.length): void {
    const { start, end, every } = this;
    let i = from;
    while (i < to && !(times[i]! >= start)) i++;
    const stop = firstIndexAfter(times, end, true, i, to);
    while (i < stop) {
      const b = Math.floor(times[i]! / every);
      let j = i + 1;
      for (let hi = stop; j < hi; ) {
        const mid = (j + hi) >>> 1;
        if (Math.floor(times[mid]! / every) === b) j = mid + 1;
        else hi = mid;
      }
      this.open(b);
      let { count, numbers, min, max, sum, first } = this;
      for (let k = i; k < j; k++) {
        const value = values[k]!;
        if (count === 0) first = value;
        count++;
        if (typeof value !== 'number') continue;
        numbers++;
        if (value < min || (value === 0 && min === 0 && Object.is(value, -0))) min = value;
        if (value > max || (value === 0 && max === 0 && Object.is(max, -0))) max = value;
        sum += value;
      }
      Object.assign(this, { count, numbers, min, max, sum, first, last: values[j - 1]! });
      i = j;
    }
  }

  takesSummary(s: ChunkSummary): boolean {
    return s.start >= this.start && s.end < this.end && this.indexOf(s.start) === this.indexOf(s.end);
  }

  summary(s: ChunkSummary): void {
    this.open(this.indexOf(s.start));
    if (this.count === 0) this.first = s.first[1];
    this.count += s.count;
    this.last = s.last[1];
    if (s.min === null || s.max === null || s.sum === null) return;
    this.numbers += s.numbers;
    if (isBelow(s.min, this.min)) this.min = s.min;
    if (isBelow(this.max, s.max)) this.max = s.max;
    this.sum += s.sum;
  }

  /** The open bucket's point so far (its value as if it closed now), or undefined when none is open. */
  current(): Point | undefined {
    return this.count === 0 ? undefined : [this.bucket * this.every, this.value()];
  }

  finish(): void {
    this.close();
    this.bucket = Number.NaN;
  }
}
