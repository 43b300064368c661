import type { BucketAggregate } from '../../codec/downsample/BucketAggregate.js';
import { downsampleSpecProblem } from '../../codec/downsample/downsampleSpecProblem.js';
import type { DownsampleSpec } from '../../codec/downsample/DownsampleSpec.js';
import { quoteExcerpt } from '../../codec/quoteExcerpt.js';
import type { PointRange } from '../store/Store.js';
import { HttpProblem } from './HttpProblem.js';

const NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The downsampling a CSV read asks for — `every=SECONDS&agg=mean|min|max|first|last|sum|count`
 * (`agg` defaults to `mean`) or `points=W&agg=m4` (`agg` may be left out) — over the range's `start`
 * and `end`, or undefined when the query has none of `every`, `points`, `agg`. Anything wrong is a
 * `400` naming the parameter: a non-positive `every`, `points` outside 1–100,000, an unknown `agg`,
 * both `every` and `points`, a missing `start` or `end`, more than 100,000 buckets, or a `limit`
 * (downsampled reads are not paged).
 */
export function readDownsample(query: URLSearchParams, range: PointRange): DownsampleSpec | undefined {
  const every = query.get('every');
  const points = query.get('points');
  const agg = query.get('agg');
  if (every === null && points === null && agg === null) return undefined;
  const bad = (message: string): HttpProblem => new HttpProblem(400, message);
  if (every !== null && points !== null) throw bad('invalid points: give every (buckets) or points (M4 columns), not both');
  if (range.limit !== undefined) throw bad('invalid limit: downsampled reads (every, points) are not paged');
  let spec: DownsampleSpec;
  if (points !== null || agg === 'm4') {
    if (points === null) throw bad('invalid points: agg=m4 needs points=W, the number of columns');
    if (agg !== null && agg !== 'm4') throw bad(`invalid agg ${quoteExcerpt(agg)}: with points, agg is m4`);
    const w = /^\d{1,7}$/.test(points) ? Number(points) : Number.NaN;
    if (Number.isNaN(w)) throw bad(`invalid points ${quoteExcerpt(points)}: expected a whole number of columns from 1 to 100000`);
    spec = { start: range.start ?? Number.NaN, end: range.end ?? Number.NaN, points: w, agg: 'm4' };
  } else {
    if (every === null) throw bad(`invalid every: agg=${quoteExcerpt(agg ?? '')} needs every=SECONDS (or points=W with agg=m4)`);
    const seconds = NUMBER.test(every) ? Number(every) : Number.NaN;
    if (Number.isNaN(seconds)) throw bad(`invalid every ${quoteExcerpt(every)}: expected a positive number of seconds`);
    spec = { start: range.start ?? Number.NaN, end: range.end ?? Number.NaN, every: seconds, agg: (agg ?? 'mean') as BucketAggregate };
  }
  const problem = downsampleSpecProblem(spec);
  if (problem) throw bad(`invalid ${problem.parameter}: ${problem.message}`);
  return spec;
}
