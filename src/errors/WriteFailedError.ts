import type { Point } from '../codec/Point.js';
import { TimetricError } from './TimetricError.js';

/**
 * A write sink gave up: retries exhausted, a non-retryable answer, or its buffer overflowed under
 * the `'error'` policy. `points` are the points NOT acknowledged by the server, in order, so the
 * caller can keep or re-send them; `dropped` counts points discarded earlier by the overflow policy.
 */
export class WriteFailedError extends TimetricError {
  override name = 'WriteFailedError';

  constructor(
    message: string,
    readonly points: readonly Point[],
    readonly dropped: number,
    cause?: unknown,
  ) {
    super(`${message}; ${points.length} point(s) not written${dropped ? `, ${dropped} dropped by the overflow policy` : ''}`, cause === undefined ? undefined : { cause });
  }
}
