import { BehaviorSubject, Observable, asyncScheduler, filter, pairwise, race, repeat, switchMap, take, timer, type SchedulerLike } from 'rxjs';
import type { Point } from '../codec/Point.js';
import type { PauseGate } from './PauseGate.js';
import { isRetryable } from './isRetryable.js';
import { pointKey } from './pointKey.js';
import { checkRetryOptions } from './retry/checkRetryOptions.js';
import { retryThroughGate } from './retry/retryThroughGate.js';
import type { RetryPolicy } from './retry/RetryOptions.js';

/** One answer of a latest-value request: changed (with the point and its ETag) or not modified. */
export type LatestAnswer = { modified: true; point: Point | null; etag: string | undefined } | { modified: false };

/** Options of {@link pollLatest}; defaults in {@link DEFAULT_POLL_OPTIONS}. */
export interface PollOptions {
  /** Time between the end of one request and the start of the next, ms; also the first retry wait (doubling, with jitter). Default 5,000. */
  intervalMs?: number;
  /** Longest wait between retries after failures (backoff and Retry-After are capped here), ms. Default 60,000. */
  maxBackoffMs?: number;
  /** Random source for jitter, [0, 1). Default `Math.random`. */
  random?: () => number;
  /** `true` while polling is wanted (the page is visible). Default: always. */
  visible$?: Observable<boolean>;
  /** Shared pause: a 429/503 closes it for every stream of the client, and every request waits for it. Default: none (`watch()` passes the client's). */
  gate?: PauseGate;
  /** Where every delay runs. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Defaults of {@link PollOptions}: poll every 5 s, back off to at most 60 s, `Math.random`, `asyncScheduler`. */
export const DEFAULT_POLL_OPTIONS = {
  intervalMs: 5_000,
  maxBackoffMs: 60_000,
  random: Math.random,
  scheduler: asyncScheduler,
} satisfies Required<Omit<PollOptions, 'visible$' | 'gate'>>;

/**
 * The retry policy of a poller: it never gives up on a transient failure, starts backing off at the
 * interval, and has no deadline. Throws a `ConfigurationError` for options that cannot work.
 */
export function pollRetryPolicy(options: PollOptions, owner = 'pollLatest'): RetryPolicy {
  const o = { ...DEFAULT_POLL_OPTIONS, ...options };
  return checkRetryOptions({ maxRetries: Infinity, retryBaseMs: o.intervalMs, maxBackoffMs: o.maxBackoffMs, deadlineMs: Infinity, random: o.random, scheduler: o.scheduler, gate: o.gate }, owner, 'intervalMs');
}

/**
 * Polls a latest value: requests never overlap (the next starts `intervalMs` after the previous
 * ended), the last ETag is sent so an unchanged series costs a `304`, and a point is emitted only
 * when it differs from the last one emitted (the first answer is always emitted). Transient
 * failures (network, timeout, 408/429/502/503/504) are retried with exponential backoff and jitter,
 * honouring `Retry-After` (see `retryThroughGate`), and the failure count resets after a success;
 * any other error ends the stream with that error. While `visible$` says false no request is made,
 * and polling resumes at once when it turns true. All state lives in the subscription: every
 * subscriber polls on its own (share the result to poll once for many).
 *
 * @example
 * ```ts
 * import { pollLatest } from './pollLatest.js'; // internal: Series.watch({ mode: 'poll' }) is built on it
 * pollLatest((etag) => fetchLatestAnswer(etag), { intervalMs: 1000 }).subscribe((p) => console.log(p));
 * ```
 *
 * @param fetchLatest - Sends one request with the given ETag; unsubscribing aborts it.
 * @param options - See {@link PollOptions}.
 * @returns The latest point (`null` for an empty series) each time it changes; errors on a non-retryable failure.
 */
export function pollLatest(fetchLatest: (etag: string | undefined) => Observable<LatestAnswer>, options: PollOptions = {}): Observable<Point | null> {
  const policy = pollRetryPolicy(options);
  const intervalMs = options.intervalMs ?? DEFAULT_POLL_OPTIONS.intervalMs;
  const { scheduler } = policy;
  return new Observable<Point | null>((subscriber) => {
    let etag: string | undefined;
    let last: string | undefined;
    const visible = new BehaviorSubject(true);
    // A hidden page shown again cuts the wait short: it polls at once.
    const shown$ = visible.pipe(pairwise(), filter(([was, is]) => !was && is));
    const whenVisible$ = visible.pipe(filter(Boolean), take(1));
    const visibility = options.visible$?.subscribe((isVisible) => visible.next(isVisible));
    const polls = retryThroughGate(() => whenVisible$.pipe(switchMap(() => fetchLatest(etag))), { ...policy, shouldRetry: isRetryable, wake$: shown$ })
      .pipe(repeat({ delay: () => race(timer(intervalMs, scheduler), shown$) }))
      .subscribe({
        next: (answer) => {
          if (!answer.modified) return;
          etag = answer.etag;
          const key = pointKey(answer.point);
          if (key !== last) {
            last = key;
            subscriber.next(answer.point);
          }
        },
        error: (err: unknown) => subscriber.error(err),
      });
    return () => {
      visibility?.unsubscribe();
      polls.unsubscribe();
    };
  });
}
