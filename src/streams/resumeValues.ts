import { asyncScheduler, defer, filter, tap, type Observable, type SchedulerLike } from 'rxjs';
import type { Point } from '../codec/Point.js';
import { isTransientReadError } from './isTransientReadError.js';
import { checkRetryOptions } from './retry/checkRetryOptions.js';
import { retryThroughGate } from './retry/retryThroughGate.js';

/** Options of {@link resumeValues}; defaults in {@link DEFAULT_RESUME_OPTIONS}. */
export interface ResumeOptions {
  /** Consecutive failed attempts without a new point before giving up. Default 5. */
  maxRetries?: number;
  /** First retry delay (doubling, with jitter), ms. Default 250. */
  retryBaseMs?: number;
  /** Longest delay between retries (also caps Retry-After), ms. Default 30,000. */
  maxBackoffMs?: number;
  /** Random source for jitter, [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Where the retry delays run. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Defaults of {@link ResumeOptions}: 5 retries, 250 ms doubling to at most 30 s, `Math.random`, `asyncScheduler`. */
export const DEFAULT_RESUME_OPTIONS = {
  maxRetries: 5,
  retryBaseMs: 250,
  maxBackoffMs: 30_000,
  random: Math.random,
  scheduler: asyncScheduler,
} satisfies Required<ResumeOptions>;

/**
 * Makes an ascending read survive transient failures: `read(from)` reads the points at or after
 * `from` (unix seconds; `undefined` = the caller's own start). When it fails with a network error,
 * a timeout, 408/429/502/503/504 or a body cut off mid-read ({@link isTransientReadError}), it is
 * subscribed again after an exponential backoff with jitter (at least the server's `Retry-After`;
 * see `retryThroughGate`) with `from` = the last emitted timestamp, and points at or before that
 * timestamp are skipped, so the output has neither duplicates nor gaps (a point's timestamp is
 * unique in a series). The retry budget is `maxRetries` consecutive failures without a new point;
 * any other error, or running out of budget, errors the stream. State (the last timestamp, the
 * failure count) lives in each subscription.
 *
 * @example
 * ```ts
 * import { resumeValues } from './resumeValues.js'; // internal: Series.values() is built on it
 * const all$ = resumeValues((from) => readCsvFrom(from), { maxRetries: 3 });
 * ```
 *
 * @param read Reads ascending points from `from` (inclusive) on; cold.
 * @param options See {@link ResumeOptions}.
 * @returns The points, ascending, each once.
 */
export function resumeValues(read: (from: number | undefined) => Observable<Point>, options: ResumeOptions = {}): Observable<Point> {
  const policy = checkRetryOptions({ ...DEFAULT_RESUME_OPTIONS, deadlineMs: Infinity, ...options }, 'values');
  return defer(() => {
    let last: number | undefined;
    const attempt = (): Observable<Point> => {
      const after = last;
      return read(after).pipe(
        filter((p) => after === undefined || p[0] > after),
        tap((p) => (last = p[0])),
      );
    };
    return retryThroughGate(attempt, { ...policy, shouldRetry: isTransientReadError });
  });
}
