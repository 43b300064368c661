import { backoffDelay } from './backoffDelay.js';
import type { RetryPolicy } from './RetryOptions.js';
import { retryAfterMs } from './retryAfterMs.js';

/**
 * The wait before retry `attempt` after `err`, ms: exponential backoff with jitter
 * ({@link backoffDelay}), at least the server's `Retry-After` ({@link retryAfterMs}), at most
 * `maxBackoffMs`.
 *
 * @example
 * ```ts
 * import { retryDelay } from './retryDelay.js'; // internal
import { DEFAULT_RETRY_OPTIONS } from 'timetric';
 * retryDelay(new Error('reset'), 1, { ...DEFAULT_RETRY_OPTIONS, random: () => 0 }, Date.now()); // 125
 * ```
 *
 * @param err - The failure; an `HttpError` may carry `Retry-After`.
 * @param attempt - 1 for the first retry.
 * @param policy - Base, cap and random source.
 * @param now - The scheduler's `now()`, for `Retry-After` given as an HTTP date.
 * @returns The wait in ms.
 */
export function retryDelay(err: unknown, attempt: number, policy: Pick<RetryPolicy, 'retryBaseMs' | 'maxBackoffMs' | 'random'>, now: number): number {
  const asked = retryAfterMs(err, now) ?? 0;
  return Math.min(policy.maxBackoffMs, Math.max(asked, backoffDelay(attempt, policy.retryBaseMs, policy.maxBackoffMs, policy.random)));
}
