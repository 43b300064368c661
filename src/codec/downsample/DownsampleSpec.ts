import type { BucketAggregate } from './BucketAggregate.js';

/**
 * Buckets aligned to multiples of `every` seconds from the epoch over `[start, end)`: one point
 * per non-empty bucket, stamped with the bucket's start, its value the bucket's `agg`.
 */
export interface BucketSpec {
  /** First time included, unix seconds. */
  readonly start: number;
  /** First time excluded, unix seconds. */
  readonly end: number;
  /** Bucket width, seconds (> 0, may have a fraction). */
  readonly every: number;
  readonly agg: BucketAggregate;
}

/**
 * M4 (Jugel et al., VLDB 2014): `points` equal columns over `[start, end)`, and of each column its
 * first, last, smallest and largest point, each at its own time, in time order, without repeats.
 * A line chart `points` pixels wide drawn from them is the chart drawn from every point.
 */
export interface M4Spec {
  readonly start: number;
  readonly end: number;
  /** Columns (pixel columns of the chart), 1 to {@link MAX_DOWNSAMPLE_BUCKETS}. */
  readonly points: number;
  readonly agg: 'm4';
}

/** A downsampled read: buckets of `every` seconds, or M4 over `points` columns. */
export type DownsampleSpec = BucketSpec | M4Spec;

/** Most buckets (or M4 columns) one downsampled read may ask for. */
export const MAX_DOWNSAMPLE_BUCKETS = 100_000;

/** True for the M4 form of a {@link DownsampleSpec}. */
export function isM4Spec(spec: DownsampleSpec): spec is M4Spec {
  return spec.agg === 'm4';
}

/**
 * The value of the `X-Timetric-Downsampled` response header for `spec`: `every=3600;agg=mean`
 * or `points=1600;agg=m4` (a server that sends it computed the downsampling).
 */
export function downsampleHeader(spec: DownsampleSpec): string {
  return isM4Spec(spec) ? `points=${spec.points};agg=m4` : `every=${spec.every};agg=${spec.agg}`;
}

/** The response header a server that downsampled a read sends (lower case, as fetch gives it). */
export const DOWNSAMPLED_HEADER = 'x-timetric-downsampled';
