import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { PauseGate } from '../PauseGate.js';

/**
 * How a failed request is tried again: how often, how long to wait, and on which clock. Every
 * stream that retries (`values()`, `watch()`, `writeTo`, `incrementTo`) takes these fields, each
 * with its own defaults; {@link DEFAULT_RETRY_OPTIONS} holds the shared ones.
 *
 * The wait before retry `n` (1 for the first) is `min(maxBackoffMs, max(Retry-After, backoff))`
 * where `backoff = min(maxBackoffMs, retryBaseMs · 2^(n-1)) · (0.5 + random() / 2)`: it doubles,
 * is spread over its upper half so that many clients do not retry in step, never undercuts the
 * server's `Retry-After` (seconds or an HTTP date), and never exceeds `maxBackoffMs`.
 */
export interface RetryOptions {
  /** Retries after consecutive failures before giving up (`Infinity`: never give up). A success resets the count where the stream says so. */
  maxRetries?: number;
  /** The wait before the first retry, before jitter, ms; it doubles with each failure in a row. */
  retryBaseMs?: number;
  /** Longest wait between two attempts, ms; it also caps `Retry-After`. */
  maxBackoffMs?: number;
  /** Total time one request may spend failing and waiting before it is given up, ms (`Infinity`: no limit). */
  deadlineMs?: number;
  /** Random source for the jitter, in [0, 1). */
  random?: () => number;
  /** Where every wait runs (a `TestScheduler` in tests). */
  scheduler?: SchedulerLike;
  /** Shared pause: a 429/503 closes it for every stream of the client, and every attempt waits for it. Default: none. */
  gate?: PauseGate | undefined;
}

/** {@link RetryOptions} with every field but the gate filled in. */
export type RetryPolicy = Required<Omit<RetryOptions, 'gate'>> & Pick<RetryOptions, 'gate'>;

/**
 * The shared retry defaults: 10 retries, 250 ms doubling to at most 30 s, no deadline,
 * `Math.random` jitter on `asyncScheduler`, no gate. Streams override some of them (see their
 * own `DEFAULT_…` constants).
 */
export const DEFAULT_RETRY_OPTIONS = {
  maxRetries: 10,
  retryBaseMs: 250,
  maxBackoffMs: 30_000,
  deadlineMs: Infinity,
  random: Math.random,
  scheduler: asyncScheduler,
} satisfies RetryPolicy;
