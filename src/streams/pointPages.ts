import { filter, lastValueFrom, take, toArray, type Observable } from 'rxjs';
import type { Point } from '../codec/Point.js';

/**
 * Reads an ascending series as an async iterable of point arrays with pull backpressure: page
 * `k + 1` is requested only when the consumer asks for it, so a slow consumer holds at most one page
 * in memory and the server is not read ahead. Each page is `readFrom(cursor)` cut after `pageSize`
 * points (the request is aborted there), where `cursor` is the last timestamp of the previous page
 * and points at or before it are skipped; the iteration ends with the first short page. Breaking out
 * of the loop aborts the read in flight. Errors of `readFrom` (after its own retries) are thrown
 * from the loop.
 *
 * Against a server without the range extension each page re-reads from the beginning and skips
 * ahead, which is correct but quadratic; use `values$` there.
 *
 * @example
 * ```ts
 * import { TimetricClient } from 'timetric';
 * for await (const page of client.series(id).pages({ pageSize: 5000 })) await store(page);
 * ```
 *
 * @param readFrom Reads ascending points from `start` (inclusive, unix seconds) on; `undefined` = the beginning of the range.
 * @param pageSize Points per page, at least 1.
 */
export async function* pointPages(readFrom: (start: number | undefined) => Observable<Point>, pageSize: number): AsyncGenerator<Point[], void, undefined> {
  const size = Math.max(1, Math.floor(pageSize));
  let cursor: number | undefined;
  for (;;) {
    const after = cursor;
    const page = await lastValueFrom(
      readFrom(after).pipe(
        filter((p) => after === undefined || p[0] > after),
        take(size),
        toArray(),
      ),
    );
    if (page.length > 0) yield page;
    if (page.length < size) return;
    cursor = page[page.length - 1]![0];
  }
}
