import type { Point } from '../Point.js';
import { createDownsampler } from './createDownsampler.js';
import type { BucketSpec, DownsampleSpec, M4Spec } from './DownsampleSpec.js';

/**
 * The downsampled read of `points` (ascending by time; those outside `[start, end)` are ignored),
 * computed from the points alone: what a server with the extension answers.
 *
 * @example
 * ```ts
 * downsamplePoints([[0, 1], [30, 3], [60, null], [90, 5]], { start: 0, end: 120, every: 60, agg: 'mean' });
 * // [[0, 2], [60, 5]]
 * ```
 */
export function downsamplePoints(points: Iterable<Point>, spec: DownsampleSpec): Point[] {
  const d = createDownsampler(spec);
  const out: Point[] = [];
  for (const [t, v] of points) {
    d.point(t, v);
    out.push(...d.take());
  }
  d.finish();
  out.push(...d.take());
  return out;
}

/** Bucket aggregates of `points` (see {@link downsamplePoints}). */
export function bucketAggregate(points: Iterable<Point>, spec: BucketSpec): Point[] {
  return downsamplePoints(points, spec);
}

/** M4 of `points` over `spec.points` columns (see {@link downsamplePoints}). */
export function m4Columns(points: Iterable<Point>, spec: M4Spec): Point[] {
  return downsamplePoints(points, spec);
}
