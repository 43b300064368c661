import { Observable, Subscription, asyncScheduler, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { OutcomeUnknownError } from '../errors/OutcomeUnknownError.js';
import { ParseError } from '../errors/ParseError.js';
import type { PauseGate } from './PauseGate.js';
import { isNotApplied } from './isNotApplied.js';
import { isRetryable } from './isRetryable.js';
import { newIdempotencyKey } from './newIdempotencyKey.js';
import { retryThroughGate } from './retry/retryThroughGate.js';

/** One increment request the server acknowledged. */
export interface IncrementReceipt {
  /** The summed amount sent. */
  amount: number;
  /** How many source increments it sums. */
  increments: number;
  /** Requests it took (more than 1 only after provably-not-applied failures). */
  attempts: number;
  /** From the first attempt to the acknowledgement, ms (scheduler time). */
  durationMs: number;
}

/** Options of {@link incrementSink} and `incrementTo`; defaults in {@link DEFAULT_INCREMENT_OPTIONS}. */
export interface IncrementOptions {
  /** Increments arriving within this many ms of the first one of a window are summed into one request. Default 1,000. */
  windowMs?: number;
  /** Retries of one request that provably was not applied (429, 503, connection refused). Default 10. */
  maxRetries?: number;
  /** First retry delay (doubling, with jitter), ms. Default 250. */
  retryBaseMs?: number;
  /** Longest delay between retries (also caps Retry-After), ms. Default 30,000. */
  maxBackoffMs?: number;
  /** Random source for jitter, [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Shared pause: a 429/503 closes it for every stream of the client, and every request waits for it. Default: none (incrementTo passes the client's). */
  gate?: PauseGate;
  /** Where every timer runs. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /**
   * Send each window with an `Idempotency-Key` (one key per window, kept across its retries), so
   * that a request whose outcome is unknown (connection lost after sending, timeout, 502/504) can be
   * sent again: a server that honours the key (this package's does) applies it once. Set `false`
   * for a server that ignores the header (the historical Timetric): then an unknown outcome is an
   * `OutcomeUnknownError` and never re-sent. Default true.
   */
  idempotencyKeys?: boolean;
  /**
   * How long after its first attempt a window may still be re-sent under its key, ms: the server's
   * `idempotencyWindowSeconds` (24 h on ours). Past it the server may have forgotten the key, so
   * an unknown outcome becomes an `OutcomeUnknownError`. Default 86,400,000 (24 h).
   */
  idempotencyWindowMs?: number;
  /** Makes the key of a window. Default {@link newIdempotencyKey} (128 random bits). */
  newKey?: () => string;
}

/** Defaults of {@link IncrementOptions}. */
export const DEFAULT_INCREMENT_OPTIONS = {
  windowMs: 1_000,
  maxRetries: 10,
  retryBaseMs: 250,
  maxBackoffMs: 30_000,
  idempotencyKeys: true,
  idempotencyWindowMs: 86_400_000,
};

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
