import { isHttpError, isNetworkError, isTimeoutError } from '../errors/typeGuards.js';

/** Statuses worth retrying by default: the server or a proxy says "not now", not "no". */
export const RETRYABLE_STATUSES: readonly number[] = [408, 429, 502, 503, 504];

/** True for network errors, timeouts and {@link RETRYABLE_STATUSES}; false for everything else. */
export function isRetryable(err: unknown): boolean {
  if (isNetworkError(err) || isTimeoutError(err)) return true;
  return isHttpError(err) && RETRYABLE_STATUSES.includes(err.status);
}
