import { map, pipe, type OperatorFunction } from 'rxjs';
import { parseTime } from '../codec/parseTime.js';
import { checkValue } from '../codec/parseValue.js';
import type { Point } from '../codec/Point.js';
import type { PointInput } from '../client/encodeSeriesData.js';
import type { Series } from '../client/Series.js';
import { batchWriter, type WriteOptions, type WriteReceipt } from './batchWriter.js';

/**
 * A sink operator: writes the `[time, value]` pairs of the source into `series` in batches and
 * emits one {@link WriteReceipt} per batch the server acknowledged. Completes only after the last
 * batch is acknowledged, so `await lastValueFrom(source$.pipe(writeTo(series)))` means "written".
 * Times are Dates, unix seconds or ISO text (UTC); a bad pair errors the stream with a
 * `ParseError`. Batching, retries, overflow and unsubscribe behaviour: see {@link WriteOptions}
 * (timers on the client's scheduler unless `scheduler` is given). A point at an existing time
 * replaces it, so retried batches never duplicate data.
 *
 * @example
 * ```ts
 * import { interval, map, take, lastValueFrom } from 'rxjs';
 * import { writeTo } from 'timetric';
 * const readings$ = interval(100).pipe(take(50), map((i) => [new Date(), Math.sin(i)] as const));
 * await lastValueFrom(readings$.pipe(writeTo(client.series(id), { windowMs: 1000 })));
 * ```
 */
export function writeTo(series: Series, options: WriteOptions = {}): OperatorFunction<PointInput, WriteReceipt> {
  return pipe(
    map((input: PointInput): Point => [parseTime(input[0]), checkValue(input[1])]),
    batchWriter((points) => series.update(points), { scheduler: series.client.scheduler, gate: series.client.pauseGate, ...options }),
  );
}
