import type { OperatorFunction } from 'rxjs';
import type { Series } from '../client/Series.js';
import { incrementSink, type IncrementOptions, type IncrementReceipt } from './incrementSink.js';

/**
 * A sink operator for counters: sums the increments of the source inside `windowMs` into one
 * `increment=` request to `series` and emits an {@link IncrementReceipt} per acknowledged request.
 * An increment whose outcome is unknown (connection lost after sending, timeout) is never sent
 * again: the stream errors with `OutcomeUnknownError` carrying the amount. Only 429/503 and
 * connections that were never made are retried. Details: {@link incrementSink}.
 *
 * @example
 * ```ts
 * import { fromEvent, map } from 'rxjs';
 * import { TimetricClient, incrementTo } from 'timetric';
 * const series = new TimetricClient({ baseUrl: 'http://localhost:8080', key: 'K', secret: 'S' }).series(id);
 * fromEvent(button, 'click').pipe(map(() => 1), incrementTo(series, { windowMs: 2000 })).subscribe();
 * ```
 *
 * @param series Where to add the increments.
 * @param options See {@link IncrementOptions}; timers run on the client's scheduler unless given.
 */
export function incrementTo(series: Series, options: IncrementOptions = {}): OperatorFunction<number, IncrementReceipt> {
  return incrementSink((amount) => series.increment(amount), { scheduler: series.client.scheduler, gate: series.client.pauseGate, ...options });
}
