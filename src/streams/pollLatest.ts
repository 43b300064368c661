import { Observable, asyncScheduler, switchMap, type SchedulerLike, type Subscription } from 'rxjs';
import { pointKey } from './pointKey.js';
import type { Point } from '../codec/Point.js';
import { backoffDelay } from './backoffDelay.js';
import type { PauseGate } from './PauseGate.js';
import { isRetryable } from './isRetryable.js';
import { retryAfterMs } from './retryAfterMs.js';

/** One answer of a latest-value request: changed (with the point and its ETag) or not modified. */
export type LatestAnswer = { modified: true; point: Point | null; etag: string | undefined } | { modified: false };

/** Options of {@link pollLatest}; defaults in {@link DEFAULT_POLL_OPTIONS}. */
export interface PollOptions {
  /** Time between the end of one request and the start of the next, ms. Default 5,000. */
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

export const DEFAULT_POLL_OPTIONS = { intervalMs: 5_000, maxBackoffMs: 60_000 };

/**
 * Polls a latest value: requests never overlap (the next starts `intervalMs` after the previous
 * ended), the last ETag is sent so an unchanged series costs a `304`, and a point is emitted only
 * when it differs from the last one emitted (the first answer is always emitted). Transient
 * failures (network, timeout, 408/429/502/503/504) are retried with exponential backoff and jitter,
 * honouring `Retry-After`, and the failure count resets after a success; any other error ends the
 * stream with that error. While `visible$` says false no request is made, and polling resumes at
 * once when it turns true. All state lives in the subscription: every subscriber polls on its own
 * (share the result to poll once for many).
 *
 * @param fetchLatest - Sends one request with the given ETag; unsubscribing aborts it.
 */
export function pollLatest(fetchLatest: (etag: string | undefined) => Observable<LatestAnswer>, options: PollOptions = {}): Observable<Point | null> {
  const intervalMs = options.intervalMs ?? DEFAULT_POLL_OPTIONS.intervalMs;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_POLL_OPTIONS.maxBackoffMs;
  const random = options.random ?? Math.random;
  const scheduler = options.scheduler ?? asyncScheduler;
  return new Observable<Point | null>((subscriber) => {
    let etag: string | undefined;
    let last: string | undefined;
    let failures = 0;
    let visible = true;
    let request: Subscription | undefined;
    let timer: Subscription | undefined;

    const later = (ms: number): void => {
      timer = scheduler.schedule(() => {
        timer = undefined;
        poll();
      }, ms);
    };
    const poll = (): void => {
      if (!visible) return; // resumed by the visibility subscription
      let failed = false;
      const gate = options.gate;
      request = (gate ? gate.whenOpen(scheduler).pipe(switchMap(() => fetchLatest(etag))) : fetchLatest(etag)).subscribe({
        next: (answer) => {
          failures = 0;
          if (!answer.modified) return;
          etag = answer.etag;
          const key = pointKey(answer.point);
          if (key !== last) {
            last = key;
            subscriber.next(answer.point);
          }
        },
        error: (err: unknown) => {
          failed = true;
          request = undefined;
          if (!isRetryable(err)) {
            subscriber.error(err);
            return;
          }
          failures++;
          const asked = retryAfterMs(err, scheduler.now());
          const delay = Math.min(maxBackoffMs, Math.max(asked ?? 0, backoffDelay(failures, intervalMs, maxBackoffMs, random)));
          gate?.pauseOn(err, delay, scheduler.now());
          later(delay);
        },
        complete: () => {
          request = undefined;
          if (!failed) later(intervalMs);
        },
      });
    };

    const visibility = options.visible$?.subscribe((isVisible) => {
      const wasHidden = !visible;
      visible = isVisible;
      if (isVisible && wasHidden && request === undefined) {
        // Back in view: poll now instead of waiting out the interval.
        timer?.unsubscribe();
        timer = undefined;
        poll();
      }
    });
    poll();
    return () => {
      visibility?.unsubscribe();
      request?.unsubscribe();
      timer?.unsubscribe();
    };
  });
}
