import { encodeCsvColumns } from '../codec/encodeCsvColumns.js';
import { parseTime } from '../codec/parseTime.js';
import { checkValue } from '../codec/parseValue.js';
import type { Point, PointValue, TimeInput } from '../codec/Point.js';
import { ParseError } from '../errors/ParseError.js';

/** A point as callers may give it: time as a Date, unix seconds or ISO text; value number/boolean/null. */
export type PointInput = readonly [time: TimeInput, value: PointValue];

/**
 * Data for `update()`, `rewrite()` and `createSeries()`: pairs (iterable or async iterable), CSV
 * text, a `Blob` of CSV, or a `ReadableStream` of CSV. (`update()` also takes a single value.)
 */
export type SeriesData = Iterable<PointInput> | AsyncIterable<PointInput> | string | Blob | ReadableStream<Uint8Array | string>;

const isAsyncIterable = (x: unknown): x is AsyncIterable<unknown> =>
  x !== null && typeof x === 'object' && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';

function point(input: PointInput, index: number): Point {
  if (!Array.isArray(input) || input.length !== 2) {
    throw new ParseError(`point ${index}: expected a [time, value] pair`, { text: String(input) });
  }
  try {
    return [parseTime(input[0]), checkValue(input[1])];
  } catch (err) {
    throw new ParseError(`point ${index}: ${(err as Error).message}`, { text: String(input), cause: err });
  }
}

/**
 * Turns any {@link SeriesData} into the CSV of one request body. Pairs are checked and converted as
 * true UTC here, so a bad timestamp fails before anything is sent, and encoded straight to UTF-8
 * bytes (`encodeCsvColumns`, no string per number); CSV text, Blobs and streams are sent as given
 * (the server names a bad line). Returns the body and the number of points when known. When
 * `signal` aborts, reading stops (an async iterable is closed, a stream cancelled) and the promise
 * rejects with the abort reason.
 */
export async function encodeSeriesData(data: SeriesData, signal?: AbortSignal): Promise<{ csv: string | Uint8Array<ArrayBuffer>; points: number | undefined }> {
  signal?.throwIfAborted();
  if (typeof data === 'string') return { csv: data, points: undefined };
  if (typeof Blob !== 'undefined' && data instanceof Blob) return { csv: await data.text(), points: undefined };
  if (typeof (data as ReadableStream).getReader === 'function') {
    const reader = (data as ReadableStream<Uint8Array | string>).getReader();
    const decoder = new TextDecoder();
    let csv = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (signal?.aborted) {
        await reader.cancel(signal.reason).catch(() => undefined);
        signal.throwIfAborted();
      }
      if (done) break;
      csv += typeof value === 'string' ? value : decoder.decode(value, { stream: true });
    }
    return { csv: csv + decoder.decode(), points: undefined };
  }
  const times: number[] = [];
  const values: PointValue[] = [];
  const add = (p: PointInput): void => {
    const [t, v] = point(p, times.length);
    times.push(t);
    values.push(v);
  };
  if (isAsyncIterable(data)) {
    for await (const p of data) {
      signal?.throwIfAborted(); // leaving the loop closes the iterable
      add(p);
    }
  }
  else if (data !== null && typeof (data as Iterable<PointInput>)[Symbol.iterator] === 'function') for (const p of data as Iterable<PointInput>) add(p);
  else throw new ParseError('expected pairs, CSV text, a Blob or a ReadableStream', { text: typeof data });
  signal?.throwIfAborted();
  // A fresh ArrayBuffer (never shared), as fetch bodies want.
  return { csv: encodeCsvColumns(times, values) as Uint8Array<ArrayBuffer>, points: times.length };
}
