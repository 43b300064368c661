import type { Observable, SchedulerLike } from 'rxjs';
import { fromAbortable } from '../client/fromAbortable.js';
import { encodeCsvColumns } from '../codec/encodeCsvColumns.js';
import type { Point, PointValue } from '../codec/Point.js';
import type { RequestSpec } from '../client/RequestSpec.js';
import type { PauseGate } from './PauseGate.js';

/**
 * What the write sinks (`writeTo`, `writeFrom`, `incrementTo`) need of a series: its path and a
 * client that sends requests, with the scheduler and pause gate its streams share. A `Series`
 * is one; so is anything else that can send a signed request.
 */
export interface WriteTarget {
  /** `/series/ID/`, below the client's base URL. */
  readonly path: string;
  readonly client: {
    /** Sends one request; resolves with the 2xx response, rejects with the client's error family. */
    request(spec: RequestSpec): Promise<Response>;
    /** Where the sink's timers run unless the options name a scheduler. */
    readonly scheduler: SchedulerLike;
    /** The pause a 429/503 closes for every stream of the client. */
    readonly pauseGate: PauseGate;
  };
}

/** What the server said about one write. */
export interface WriteAnswer {
  /** Points of the write that replaced a point at the same time (`X-Timetric-Replaced`); undefined when the server does not say. */
  replaced: number | undefined;
}

/** The `X-Timetric-Replaced` header of a write's answer, or undefined. */
export function replacedOf(response: Response): number | undefined {
  const text = response.headers.get('x-timetric-replaced');
  const n = text === null ? NaN : Number(text);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * The times and values of `points` as columns. Typed arrays while every value is a number (the
 * usual case): a plain array of doubles boxes each one, 32 bytes a point of garbage per batch.
 */
function columnsOf(points: readonly Point[]): [Float64Array, ArrayLike<PointValue>] {
  const n = points.length;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = points[i]![0];
  const numbers = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = points[i]![1];
    if (typeof v !== 'number') return [times, points.map((p) => p[1])];
    numbers[i] = v;
  }
  return [times, numbers];
}

/** POSTs `points` to the series as one CSV body (all or nothing); emits the server's answer. Cold; unsubscribing aborts. */
export function postPoints(target: WriteTarget, points: readonly Point[]): Observable<WriteAnswer> {
  return fromAbortable(async (signal) => {
    const body = encodeCsvColumns(...columnsOf(points)) as Uint8Array<ArrayBuffer>;
    const r = await target.client.request({ method: 'POST', path: target.path, body, headers: { 'content-type': 'text/csv' }, signal });
    return { replaced: replacedOf(r) };
  });
}

/** POSTs `increment=amount`, with an `Idempotency-Key` when given; emits once acknowledged. Cold; unsubscribing aborts. */
export function postIncrement(target: WriteTarget, amount: number, key?: string): Observable<void> {
  return fromAbortable(async (signal) => {
    await target.client.request({
      method: 'POST',
      path: target.path,
      form: { increment: String(amount) },
      ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
      signal,
    });
  });
}
