import { isHttpError, isPushUnavailableError } from '../errors/typeGuards.js';

/** Statuses by which a server without the Server-Sent Events extension refuses `value/events/`. */
export const PUSH_UNAVAILABLE_STATUSES: readonly number[] = [404, 405, 406, 501];

/**
 * True when a push request failed because the server has no push endpoint: 404, 405, 406 or 501,
 * or an answer that is not `text/event-stream` ({@link PushUnavailableError}). In `'auto'` mode
 * these switch to polling, which then reports a series that really is missing.
 */
export function isPushUnavailable(err: unknown): boolean {
  return isPushUnavailableError(err) || (isHttpError(err) && PUSH_UNAVAILABLE_STATUSES.includes(err.status));
}
