import { Observable } from 'rxjs';
import { TimetricError } from '../errors/TimetricError.js';
import { readBodyText } from './readBodyText.js';
import type { RequestSpec } from './RequestSpec.js';
import { checkSeriesSearch, type SeriesSearch } from './SeriesSearch.js';

/** One series as the search endpoint lists it (`results.thin.json`). */
export interface SeriesInfo {
  /** The 22-character series id: `client.series(info.id)` reads and writes it. */
  id: string;
  /** The series' title ('' when the server sent none). */
  title: string;
  /** The series' caption, e.g. its unit ('' when the server sent none). */
  caption: string;
  /** The series' tags, in the order stored (empty when it has none). */
  tags: string[];
  /** The series' absolute URL, `…/series/ID/`, as the server names it. */
  url: string;
}

/** What {@link searchSeries} needs of a client: its request layer (signing, timeout, error family). */
export interface SearchTransport {
  request(spec: RequestSpec): Promise<Response>;
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** One element of a page as a {@link SeriesInfo}; tags may come as an array or one comma-separated string. */
function seriesInfo(item: unknown, baseUrl: string | undefined): SeriesInfo {
  const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  if (!isText(o.id) || o.id === '') throw new TimetricError(`the search answered a result without an id: ${JSON.stringify(item).slice(0, 200)}`);
  const tags = Array.isArray(o.tags) ? o.tags.filter(isText) : isText(o.tags) ? o.tags.split(',').map((t) => t.trim()).filter(Boolean) : [];
  return {
    id: o.id,
    title: isText(o.title) ? o.title : '',
    caption: isText(o.caption) ? o.caption : '',
    tags,
    url: isText(o.url) ? o.url : `${baseUrl ?? ''}/series/${o.id}/`,
  };
}

/**
 * Every series the caller may read that matches `search` (`GET /search/results.thin.json` with
 * `q`, `u`, `tags` and the paging parameters `n`/`p`), as a cold Observable of {@link SeriesInfo}
 * that pages through all of them: one request per page, the next page asked for only once the
 * previous page's series were emitted. Anonymous clients see public series only.
 *
 * Emits the series in the server's order (ours: oldest first), each once: a series met again on a
 * later page (the listing shifted while paging) is not emitted twice. Completes after a page with
 * fewer than `pageSize` results, or after a page that repeats the previous one (a server that
 * ignores `n`/`p` answers everything at once). Errors with the client's error family (e.g.
 * {@link HttpError} for a `400` naming a bad parameter), or with a {@link TimetricError} for a page
 * that is not a JSON array or is longer than `maxPageChars`. Unsubscribing aborts the request in
 * flight and stops paging.
 *
 * @example
 * ```ts
 * import { TimetricClient } from 'timetric';
 * import { toArray, lastValueFrom } from 'rxjs';
 * const client = new TimetricClient({ authtype: 'anonymous' }, { baseUrl: 'http://localhost:8080' });
 * const power = await lastValueFrom(client.search({ tags: ['power'] }).pipe(toArray()));
 * console.log(power.map((s) => `${s.id} ${s.title}`));
 * ```
 *
 * @param transport - The client (or anything with its `request`).
 * @param search - What to look for, and the paging settings; defaults in {@link DEFAULT_SEARCH_OPTIONS}.
 * @returns A cold Observable of the matching series.
 */
export function searchSeries(transport: SearchTransport, search: SeriesSearch = {}): Observable<SeriesInfo> {
  const { pageSize, maxPageChars } = checkSeriesSearch(search);
  const tagList = typeof search.tags === 'string' ? search.tags.split(',') : (search.tags ?? []);
  const tags = tagList.map((t) => t.trim()).filter(Boolean).join(',');
  const baseUrl = (transport as { baseUrl?: unknown }).baseUrl;

  return new Observable<SeriesInfo>((subscriber) => {
    const controller = new AbortController();
    const seen = new Set<string>();
    let previousFirst: string | undefined;

    const readPage = async (page: number): Promise<unknown[]> => {
      const response = await transport.request({
        method: 'GET',
        path: '/search/results.thin.json',
        query: { q: search.q || undefined, u: search.user || undefined, tags: tags || undefined, n: String(pageSize), p: String(page) },
        headers: { accept: 'application/json' },
        signal: controller.signal,
      });
      let text = '';
      await readBodyText(
        response,
        (piece) => {
          text += piece;
          if (text.length > maxPageChars) {
            controller.abort(new TimetricError(`search page ${page} is over ${maxPageChars} characters (the maxPageChars option): ask for fewer series a page (pageSize)`));
          }
        },
        controller.signal,
      );
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new TimetricError(`search page ${page} is not JSON: ${text.slice(0, 200)}`);
      }
      if (!Array.isArray(parsed)) throw new TimetricError(`search page ${page} is not a JSON array: ${text.slice(0, 200)}`);
      return parsed as unknown[];
    };

    const run = async (): Promise<void> => {
      for (let page = 1; ; page++) {
        const items = (await readPage(page)).map((item) => seriesInfo(item, typeof baseUrl === 'string' ? baseUrl : undefined));
        const first = items[0]?.id;
        // A server that ignores n/p answers page 1 again for every p: stop instead of looping.
        if (first !== undefined && first === previousFirst) return;
        previousFirst = first;
        for (const info of items) {
          if (subscriber.closed) return;
          if (seen.has(info.id)) continue;
          seen.add(info.id);
          subscriber.next(info);
        }
        if (items.length !== pageSize) return; // a short page is the last; a longer one means n was ignored
      }
    };

    run().then(
      () => subscriber.complete(),
      (err: unknown) => {
        // An abort by the size cap carries its own error; one by the unsubscribe has no listener.
        const reason: unknown = controller.signal.reason;
        if (reason instanceof TimetricError) subscriber.error(reason);
        else if (!subscriber.closed) subscriber.error(err);
      },
    );
    return () => controller.abort();
  });
}
