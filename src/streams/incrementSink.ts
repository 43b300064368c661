import { Observable, Subscription, asyncScheduler, type OperatorFunction } from 'rxjs';
import { OutcomeUnknownError } from '../errors/OutcomeUnknownError.js';
import { ParseError } from '../errors/ParseError.js';
import { isNotApplied } from './isNotApplied.js';
import { isRetryable } from './isRetryable.js';
import { newIdempotencyKey } from './newIdempotencyKey.js';
import { retryThroughGate } from './retry/retryThroughGate.js';
import { DEFAULT_INCREMENT_OPTIONS, type IncrementOptions, type IncrementReceipt } from './IncrementOptions.js';

export { DEFAULT_INCREMENT_OPTIONS, type IncrementOptions, type IncrementReceipt } from './IncrementOptions.js';

/**
 * The core of `incrementTo`: sums the numbers of the source inside a window (opened by the first
 * increment after the last send, closed by a real timer) into one request, one request at a time,
 * and emits an {@link IncrementReceipt} per acknowledged request. Increments are not idempotent, so
 * a request is sent again only when it provably was not applied (429/503, honouring
 * `Retry-After`, or a connection that was never made); when the outcome is unknown (connection
 * reset after sending, timeout) the stream errors with {@link OutcomeUnknownError} carrying the
 * amount, and never re-sends it. Any other failure (400, 401, 404…) errors with that error: the
 * amount was not applied. On completion of the source the open window is sent at once and the
 * stream completes after its acknowledgement; a source error is passed on after that flush.
 * Unsubscribing aborts the request in flight and drops the open window.
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { incrementSink } from 'timetric';
 * const clicks = new Subject<number>();
 * clicks.pipe(incrementSink((n) => series.increment(n), { windowMs: 500 })).subscribe(console.log);
 * clicks.next(1); clicks.next(1); // one request: increment=2
 * ```
 *
 * @param sendIncrement Sends one increment; completes when the server acknowledged it.
 * @param options See {@link IncrementOptions}.
 * @returns An operator from increments to receipts.
 */
export function incrementSink(sendIncrement: (amount: number, key: string | undefined) => Observable<unknown>, options: IncrementOptions = {}): OperatorFunction<number, IncrementReceipt> {
  const o = { ...DEFAULT_INCREMENT_OPTIONS, ...options };
  const scheduler = options.scheduler ?? asyncScheduler;
  const newKey = options.newKey ?? newIdempotencyKey;
  const retryPolicy = { maxRetries: o.maxRetries, retryBaseMs: o.retryBaseMs, maxBackoffMs: o.maxBackoffMs, random: options.random ?? Math.random, scheduler, gate: options.gate };
  return (source) =>
    new Observable<IncrementReceipt>((subscriber) => {
      let pending = 0;
      let pendingCount = 0;
      let windowTimer: Subscription | undefined;
      let windowClosed = false;
      let inFlight: Subscription | undefined;
      let sourceDone = false;
      let sourceError: { err: unknown } | undefined;

      const finishIfIdle = (): void => {
        if (!sourceDone || inFlight || pendingCount > 0) return;
        if (sourceError) subscriber.error(sourceError.err);
        else subscriber.complete();
      };
      const sendPending = (): void => {
        windowTimer?.unsubscribe();
        windowTimer = undefined;
        windowClosed = false;
        const amount = pending;
        const increments = pendingCount;
        pending = 0;
        pendingCount = 0;
        const started = scheduler.now();
        const key = o.idempotencyKeys ? newKey() : undefined;
        let attempts = 0;
        let failed = false;
        const attempt$ = retryThroughGate(
          () => {
            attempts++;
            return sendIncrement(amount, key);
          },
          {
            ...retryPolicy,
            resetOnSuccess: false,
            // Keyed, an unknown outcome may be sent again while the server still knows the key.
            shouldRetry: (err) => isNotApplied(err) || (key !== undefined && isRetryable(err) && scheduler.now() - started < o.idempotencyWindowMs),
          },
        );
        const request = new Subscription();
        inFlight = request;
        request.add(attempt$.subscribe({
          error: (err: unknown) => {
            failed = true;
            inFlight = undefined;
            if (isNotApplied(err) || !isOutcomeUnknown(err)) subscriber.error(err);
            else subscriber.error(new OutcomeUnknownError(amount, pending, err));
          },
          complete: () => {
            if (failed) return;
            inFlight = undefined;
            subscriber.next({ amount, increments, attempts, durationMs: scheduler.now() - started });
            if (pendingCount > 0 && (windowClosed || sourceDone)) sendPending();
            else finishIfIdle();
          },
        }));
      };

      const upstream = source.subscribe({
        next: (delta) => {
          if (typeof delta !== 'number' || !Number.isFinite(delta)) {
            subscriber.error(new ParseError(`increment must be a finite number, got ${String(delta)}`, { text: String(delta) }));
            return;
          }
          pending += delta;
          pendingCount++;
          if (pendingCount === 1) {
            windowTimer = scheduler.schedule(() => {
              windowTimer = undefined;
              windowClosed = true;
              if (!inFlight) sendPending();
            }, o.windowMs);
          }
        },
        error: (err: unknown) => {
          sourceDone = true;
          sourceError = { err };
          if (pendingCount > 0 && !inFlight) sendPending();
          else finishIfIdle();
        },
        complete: () => {
          sourceDone = true;
          if (pendingCount > 0 && !inFlight) sendPending();
          else finishIfIdle();
        },
      });
      return () => {
        upstream.unsubscribe();
        windowTimer?.unsubscribe();
        inFlight?.unsubscribe();
      };
    });
}

// A failure after the request may have reached the server: network trouble or a timeout. HTTP
// answers other than 429/503 are definite refusals (nothing applied).
function isOutcomeUnknown(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'NetworkError' || name === 'TimeoutError' || !(typeof (err as { status?: unknown } | null)?.status === 'number');
}
