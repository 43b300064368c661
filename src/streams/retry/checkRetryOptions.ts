import { ConfigurationError } from '../../errors/ConfigurationError.js';
import type { RetryPolicy } from './RetryOptions.js';

/**
 * Throws a {@link ConfigurationError} naming the option when a retry policy cannot work: a count
 * that is not a whole number ≥ 0 (or `Infinity`), a wait or deadline that is negative or not a
 * number, a first retry wait longer than the longest one (`retryBaseMs` > `maxBackoffMs`; a poll interval may be longer), or a
 * `random`/`scheduler` of the wrong kind. Returns the policy unchanged.
 *
 * @param policy - Merged options (defaults spread first).
 * @param owner - The stream they belong to, for the message (e.g. `'writeTo'`).
 * @param base - The name the stream gives `retryBaseMs` (`'intervalMs'` for polling), for the message.
 */
export function checkRetryOptions<P extends RetryPolicy>(policy: P, owner: string, base = 'retryBaseMs'): P {
  const fail = (key: string, what: string): never => {
    throw new ConfigurationError(`${owner}: ${key} ${what}`, key);
  };
  const { maxRetries, retryBaseMs, maxBackoffMs, deadlineMs } = policy;
  if (!(maxRetries === Infinity || (Number.isInteger(maxRetries) && maxRetries >= 0))) fail('maxRetries', `must be a whole number ≥ 0 or Infinity, got ${String(maxRetries)}`);
  for (const [key, value] of [[base, retryBaseMs], ['maxBackoffMs', maxBackoffMs], ['deadlineMs', deadlineMs]] as const) {
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) fail(key, `must be a number of ms ≥ 0, got ${String(value)}`);
  }
  if (!Number.isFinite(retryBaseMs)) fail(base, `must be finite, got ${String(retryBaseMs)}`);
  // A poll interval may well be longer than the longest backoff; a first retry wait may not.
  if (base === 'retryBaseMs' && retryBaseMs > maxBackoffMs) fail('retryBaseMs', `(${retryBaseMs}) must not exceed maxBackoffMs (${maxBackoffMs})`);
  if (typeof policy.random !== 'function') fail('random', 'must be a function returning [0, 1)');
  if (typeof policy.scheduler?.schedule !== 'function') fail('scheduler', 'must be an RxJS SchedulerLike');
  return policy;
}
