import type { Observable, Subscription } from 'rxjs';
import type { Point } from '../codec/Point.js';
import { isRetryable } from './isRetryable.js';
import type { RetryOptions } from './retry/RetryOptions.js';
import { retryThroughGate } from './retry/retryThroughGate.js';
import type { WriteAnswer } from './WriteTarget.js';

/** How one batch ended well: the requests it took and what the server said. */
export interface BatchSent {
  attempts: number;
  /** The server's `X-Timetric-Replaced` for the batch, when it said. */
  replaced: number | undefined;
}

/**
 * Sends one batch of the write sinks through the one retry loop (`retryThroughGate`): network
 * errors, timeouts and 408/429/502/503/504 are retried by `policy`; the answer's `replaced` is
 * kept. `sent` is called once it is acknowledged; `failed` with a message that says why it gave up
 * (retries exhausted, or a refusal) and the error. Unsubscribing the result aborts it.
 */
export function sendBatch<P extends readonly Point[]>(
  writeBatch: (points: P) => Observable<unknown>,
  points: P,
  policy: RetryOptions & { scheduler: NonNullable<RetryOptions['scheduler']> },
  sent: (result: BatchSent) => void,
  failed: (message: string, err: unknown) => void,
): Subscription {
  const started = policy.scheduler.now();
  let attempts = 0;
  let replaced: number | undefined;
  return retryThroughGate(
    () => {
      attempts++;
      return writeBatch(points);
    },
    { ...policy, shouldRetry: isRetryable, resetOnSuccess: false },
  ).subscribe({
    next: (answer) => {
      const r = (answer as WriteAnswer | undefined)?.replaced;
      if (typeof r === 'number') replaced = r;
    },
    error: (err: unknown) => failed(isRetryable(err) ? `gave up after ${attempts} attempt(s) in ${policy.scheduler.now() - started} ms` : 'the server refused a batch', err),
    complete: () => sent({ attempts, replaced }),
  });
}
