import { isHttpError } from '../../errors/typeGuards.js';

/**
 * The wait a `Retry-After` header asks for, in ms: the header is delta-seconds or an HTTP date
 * (never milliseconds). Undefined when absent or unreadable; never negative.
 *
 * @param now - Current time in ms (the scheduler's `now()`), for HTTP dates.
 */
export function retryAfterMs(err: unknown, now: number): number | undefined {
  if (!isHttpError(err)) return undefined;
  const value = err.headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
