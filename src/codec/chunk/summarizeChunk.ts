import type { PointValue } from '../Point.js';
import type { ChunkSummary } from './ChunkSummary.js';
import { ChunkCodecError } from './ChunkCodecError.js';

/**
 * The summary a chunk row carries: start and end time, count, and over the numeric values how
 * many there are, min, max (each with the time of the first point holding it; -0 counts below
 * +0, as `Math.min` orders them) and sum, plus the first and last point. Takes the same columns
 * as {@link encodeChunk} (or those {@link decodeChunk} returns; both give the same summary).
 *
 * @example
 * ```ts
 * summarizeChunk([10, 11, 12], [2.5, null, -1]);
 * // { start: 10, end: 12, count: 3, min: -1, max: 2.5, sum: 1.5, numbers: 2, minTime: 12, maxTime: 10,
 * //   first: [10, 2.5], last: [12, -1] }
 * ```
 */
export function summarizeChunk(times: ArrayLike<number>, values: ArrayLike<PointValue>): ChunkSummary {
  const n = times.length;
  if (n === 0 || values.length !== n) throw new ChunkCodecError(`summarizeChunk: ${n} times and ${values.length} values (a chunk holds at least one point, a value per time)`);
  let min = Infinity;
  let max = -Infinity;
  let minAt = -1;
  let maxAt = -1;
  let sum = 0;
  let numbers = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (typeof v !== 'number') continue;
    // Strictly below / above, so the first point holding the extreme keeps it.
    if (v < min || (v === 0 && min === 0 && Object.is(v, -0) && !Object.is(min, -0)) || minAt < 0) {
      min = v;
      minAt = i;
    }
    if (v > max || (v === 0 && max === 0 && Object.is(max, -0) && !Object.is(v, -0)) || maxAt < 0) {
      max = v;
      maxAt = i;
    }
    sum += v;
    numbers++;
  }
  return {
    start: times[0]!,
    end: times[n - 1]!,
    count: n,
    min: numbers ? min : null,
    max: numbers ? max : null,
    sum: numbers ? sum : null,
    numbers,
    minTime: numbers ? times[minAt]! : null,
    maxTime: numbers ? times[maxAt]! : null,
    first: [times[0]!, values[0]!],
    last: [times[n - 1]!, values[n - 1]!],
  };
}
