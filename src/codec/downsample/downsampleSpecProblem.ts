import { isBucketAggregate } from './BucketAggregate.js';
import { MAX_DOWNSAMPLE_BUCKETS, type DownsampleSpec } from './DownsampleSpec.js';

/** What is wrong with a downsample request: the parameter at fault and a message naming it. */
export interface DownsampleProblem {
  readonly parameter: 'start' | 'end' | 'every' | 'points' | 'agg';
  readonly message: string;
}

/**
 * Checks a {@link DownsampleSpec} as given (the server's 400 and the client's error both come from
 * here): `start` and `end` finite with `start < end`, `every` a positive finite number of seconds
 * with at most {@link MAX_DOWNSAMPLE_BUCKETS} buckets meeting the range, `points` a whole number
 * from 1 to that many, `agg` a known aggregate (`m4` with `points` only). Undefined when it is fine.
 */
export function downsampleSpecProblem(spec: DownsampleSpec): DownsampleProblem | undefined {
  const { start, end } = spec;
  if (!Number.isFinite(start)) return { parameter: 'start', message: 'a downsampled read needs start (unix seconds or ISO 8601)' };
  if (!Number.isFinite(end)) return { parameter: 'end', message: 'a downsampled read needs end (unix seconds or ISO 8601)' };
  if (!(start < end)) return { parameter: 'end', message: `end (${end}) must be after start (${start})` };
  if (spec.agg === 'm4') {
    const w = spec.points;
    if (!Number.isSafeInteger(w) || w < 1 || w > MAX_DOWNSAMPLE_BUCKETS) {
      return { parameter: 'points', message: `points must be a whole number of columns from 1 to ${MAX_DOWNSAMPLE_BUCKETS}, got ${String(w)}` };
    }
    return undefined;
  }
  if (!isBucketAggregate(spec.agg)) {
    return { parameter: 'agg', message: `unknown agg ${JSON.stringify(String(spec.agg).slice(0, 40))}: expected mean, min, max, first, last, sum, count (with every) or m4 (with points)` };
  }
  const every = spec.every;
  if (!Number.isFinite(every) || !(every > 0)) return { parameter: 'every', message: `every must be a positive number of seconds, got ${String(every)}` };
  // Bucket k holds [k·every, (k+1)·every); the range's last time is just below `end`.
  const buckets = Math.ceil(end / every) - Math.floor(start / every);
  if (!(buckets <= MAX_DOWNSAMPLE_BUCKETS)) {
    return { parameter: 'every', message: `every=${every} makes ${Number.isFinite(buckets) ? buckets : 'too many'} buckets between start and end; at most ${MAX_DOWNSAMPLE_BUCKETS}: choose a larger every or a shorter range` };
  }
  return undefined;
}
