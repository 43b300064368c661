import type { Observable } from 'rxjs';
import { CsvPointDecoder } from '../codec/CsvPointDecoder.js';
import { parseTime } from '../codec/parseTime.js';
import type { Point, TimeInput } from '../codec/Point.js';
import { resumeValues } from '../streams/resumeValues.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { fromAbortableStream } from './fromAbortableStream.js';
import { idleWatchdog } from './idleWatchdog.js';
import { nextPageUrl } from './nextPageUrl.js';
import { readBodyText } from './readBodyText.js';
import type { ClientContext } from './ClientContext.js';

/** What {@link readPointPages} reads: a range and the page size (see `Series.values`). */
export interface PointPagesRange {
  /** First time included. Default: the beginning. */
  start?: TimeInput | undefined;
  /** First time excluded. Default: no end. */
  end?: TimeInput | undefined;
  /** Points per request when the server pages. */
  pageSize: number;
  /** Request the next page while this one is read (default true); false for readers that stop after one page. */
  ahead?: boolean | undefined;
}

const ignore = (): void => undefined;

/**
 * The points of `path` + `csv/` in a range, ascending, one at a time (the body of
 * `Series.values`). Asks for pages of `pageSize` and follows the server's `Link: rel="next"` while
 * it offers one; a server without paging sends everything in one response. Bodies are parsed as
 * they arrive. A next link outside the client's base URL is not followed, since the request would
 * carry the client's credentials there: the read emits that page's points, then errors with
 * `CrossOriginLinkError` (a malformed `Link` header, likewise, with `ParseError`).
 *
 * Pipelined: as soon as a page's headers name the next page, that page is requested, so the server
 * produces page N+1 while page N is parsed and emitted. At most one page is requested ahead, so
 * memory stays bounded by about two pages; points are still emitted strictly in order (page N+1's
 * body is read only after page N's last point). Unsubscribing, or a failure, aborts both requests.
 * A network error, timeout or 408/429/502/503/504 — also of the request ahead — resumes from the
 * last emitted timestamp (`resumeValues`), so nothing is emitted twice or skipped. A bad line, or
 * one over 64 KiB (`CsvPointDecoder`'s `maxLineBytes`), errors the stream with a `ParseError`
 * naming it, not retried, as soon as it is seen: a body that never ends its line cannot grow memory
 * or keep the idle timer alive.
 *
 * @example
 * ```ts
 * readPointPages(client, `/series/${id}/`, { start: 0, pageSize: 50_000 }).subscribe(([t, v]) => console.log(t, v));
 * ```
 *
 * @param client The client whose request layer (auth, timeout, signals) is used.
 * @param path The series path below the base URL, e.g. `/series/ID/`.
 * @param range The range and page size.
 * @returns A cold Observable of the points, ascending, each once.
 */
export function readPointPages(client: ClientContext, path: string, range: PointPagesRange): Observable<Point> {
  const start = range.start === undefined ? undefined : String(parseTime(range.start));
  const end = range.end === undefined ? undefined : String(parseTime(range.end));
  const limit = String(range.pageSize);
  const ahead = range.ahead ?? true;
  const base = `${client.baseUrl}${path}`;
  const read = (from: number | undefined): Observable<Point> =>
    // A failure drops the page asked ahead with the failed one; a resumed read asks again.
    fromAbortableStream<Point>(async (stream) => {
      const { subscriber, signal } = stream;
      const get = (next: string, query?: Record<string, string | undefined>): Promise<Response> => {
        const response = client.request({ method: 'GET', path: next, query, signal });
        // A page asked ahead may fail before it is awaited; it is awaited (and reported) in order.
        response.catch(ignore);
        return response;
      };
      let pending: Promise<Response> | undefined = get(`${path}csv/`, { start: from === undefined ? start : String(from), end, limit });
      while (pending !== undefined) {
        const r: Response = await pending;
        // Only a next page under the client's base URL is followed (every request carries the
        // credentials); a refused or malformed Link fails the read after this page's points.
        let nextUrl: string | undefined;
        let linkError: Error | undefined;
        try {
          nextUrl = nextPageUrl(r.headers.get('link'), r.url || base, client.baseUrl);
        } catch (err) {
          linkError = err as Error;
        }
        pending = nextUrl !== undefined && ahead ? get(nextUrl) : undefined;
        const decoder = new CsvPointDecoder();
        // A body that stops arriving without its connection closing (a stalled proxy) would
        // wait forever: after timeoutMs of silence the read aborts with a TimeoutError, which
        // resumes like any transient failure.
        const watchdog = client.timeoutMs > 0 ? idleWatchdog(client.timeoutMs, client.scheduler, () => stream.abort()) : undefined;
        try {
          await readBodyText(
            r,
            (text) => {
              watchdog?.touch();
              for (const p of decoder.push(text)) {
                if (stream.closed) return;
                subscriber.next(p);
              }
            },
            signal,
          );
        } catch (err) {
          if (watchdog?.fired) throw new TimeoutError('GET', new URL(r.url || base).href.split('?')[0]!, client.timeoutMs);
          throw err;
        } finally {
          watchdog?.stop();
        }
        for (const p of decoder.end()) subscriber.next(p);
        if (stream.closed) return;
        if (linkError !== undefined) throw linkError;
        if (nextUrl !== undefined && !ahead) pending = get(nextUrl);
      }
    });
  // A transient failure mid-read resumes from the last emitted timestamp (streams/resumeValues).
  return resumeValues(read, { scheduler: client.scheduler });
}
