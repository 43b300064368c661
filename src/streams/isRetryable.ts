import { HttpError } from '../errors/HttpError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { TimeoutError } from '../errors/TimeoutError.js';

/** Statuses worth retrying by default: the server or a proxy says "not now", not "no". */
export const RETRYABLE_STATUSES: readonly number[] = [408, 429, 502, 503, 504];

/** True for network errors, timeouts and {@link RETRYABLE_STATUSES}; false for everything else. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof NetworkError || err instanceof TimeoutError) return true;
  return err instanceof HttpError && RETRYABLE_STATUSES.includes(err.status);
}
