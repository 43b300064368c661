import { defer, race, switchMap, retry, throwError, timer, type Observable } from 'rxjs';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from './RetryOptions.js';
import { retryDelay } from './retryDelay.js';

/** Options of {@link retryThroughGate}: the retry policy plus which errors to retry. */
export interface RetryThroughGateOptions extends RetryOptions {
  /** Whether `err` may be retried at all (e.g. `isRetryable`, `isNotApplied`). */
  shouldRetry: (err: unknown) => boolean;
  /** Whether a value from `send` resets the failure count (RxJS `resetOnSuccess`). Default `true`. */
  resetOnSuccess?: boolean;
  /** When it emits during a wait, the wait ends at once (e.g. the page was shown again). Default: never. */
  wake$?: Observable<unknown>;
}

/**
 * The one retry loop of this package: wait at the pause gate, send, back off. Each attempt waits
 * until `gate` is open, then subscribes `send()`; when that errors with an error `shouldRetry`
 * accepts, it waits {@link retryDelay} (at least `Retry-After`, at most `maxBackoffMs`), closes
 * the gate for that long when the answer was 429 or 503 (so every stream of the client holds
 * back), and tries again, up to `maxRetries` retries in a row and within `deadlineMs` of the first
 * attempt. Any other error, or the last one, errors the result unchanged. Values and completion
 * pass through. Built on RxJS `retry({ count, delay, resetOnSuccess })`; every wait runs on
 * `scheduler`, and the failure count and deadline start fresh with each subscription.
 * Unsubscribing aborts the attempt in flight or the wait.
 *
 * @example
 * ```ts
 * import { retryThroughGate } from './retry/retryThroughGate.js'; // internal: every retrying stream is built on it
import { isRetryable } from 'timetric';
 * const answer$ = retryThroughGate(() => series.latest(), { shouldRetry: isRetryable, maxRetries: 3 });
 * ```
 *
 * @param send - Makes one attempt; cold (subscribed once per attempt).
 * @param options - See {@link RetryThroughGateOptions}; defaults in {@link DEFAULT_RETRY_OPTIONS}.
 * @returns What the successful attempt emits.
 */
export function retryThroughGate<T>(send: () => Observable<T>, options: RetryThroughGateOptions): Observable<T> {
  const o = { ...DEFAULT_RETRY_OPTIONS, resetOnSuccess: true, ...options };
  const { scheduler, gate } = o;
  return defer(() => {
    const started = scheduler.now();
    const attempt$ = gate ? gate.whenOpen(scheduler).pipe(switchMap(() => send())) : defer(send);
    return attempt$.pipe(
      retry({
        count: o.maxRetries,
        resetOnSuccess: o.resetOnSuccess,
        delay: (err: unknown, retryCount) => {
          const now = scheduler.now();
          if (!o.shouldRetry(err) || now - started >= o.deadlineMs) return throwError(() => err);
          const ms = retryDelay(err, retryCount, o, now);
          gate?.pauseOn(err, ms, now);
          const wait$ = timer(ms, scheduler);
          return o.wake$ ? race(wait$, o.wake$) : wait$;
        },
      }),
    );
  });
}
