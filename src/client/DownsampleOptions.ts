import type { TimeInput } from '../codec/Point.js';
import type { BucketAggregate } from '../codec/downsample/BucketAggregate.js';

/**
 * Options of `Series.values` for bucket aggregates: one point per non-empty bucket of `every`
 * seconds (aligned to multiples of `every` from the epoch, stamped with the bucket's start).
 */
export interface BucketValuesOptions {
  /** First time included (Date, unix seconds or ISO text). Required. */
  start: TimeInput;
  /** First time excluded. Required. */
  end: TimeInput;
  /** Bucket width, seconds (> 0), e.g. 3600 for hourly buckets. */
  every: number;
  /** `mean` (default), `min`, `max`, `first`, `last`, `sum` or `count`. */
  agg?: BucketAggregate;
}

/**
 * Options of `Series.values` for M4: of each of `points` equal columns over `[start, end)`, the
 * first, last, smallest and largest point, each at its own time (a line chart `points` pixels
 * wide drawn from them looks the same as one drawn from every point).
 */
export interface M4ValuesOptions {
  start: TimeInput;
  end: TimeInput;
  /** Columns, 1 to 100,000: the chart's width in pixels. */
  points: number;
  agg: 'm4';
}

/** A downsampled read: {@link BucketValuesOptions} or {@link M4ValuesOptions}. */
export type DownsampleOptions = BucketValuesOptions | M4ValuesOptions;

/** True when `options` of `Series.values` ask for a downsampled read (they have `every`, `points` or `agg`). */
export function isDownsampleOptions(options: object): options is DownsampleOptions {
  return 'every' in options || 'points' in options || 'agg' in options;
}
