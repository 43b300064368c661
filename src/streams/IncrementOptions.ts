// The options and receipts of the increment sinks, apart from their code: the package exports
// them, and a page that never increments loads no sink code (incrementTo loads it on first use).
import type { SchedulerLike } from 'rxjs';
import type { PauseGate } from './PauseGate.js';

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

/** Options of `incrementSink` and `incrementTo`; defaults in {@link DEFAULT_INCREMENT_OPTIONS}. */
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
  /** Makes the key of a window. Default `newIdempotencyKey` (128 random bits). */
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
