// The search options, apart from searchSeries.ts: the package entry exports their defaults, a bad
// one is refused when search() is called, and the search code itself is loaded on the first search.
import { ConfigurationError } from '../errors/ConfigurationError.js';

/** What `client.search()` looks for. Every field narrows the result; none given lists every series the caller may read. */
export interface SeriesSearch {
  /** Free text the title, caption, description or a tag contains (case-insensitive). Default: any. */
  q?: string | undefined;
  /** Tags every series found must carry (case-insensitive); an array or one comma-separated string. Default: any. */
  tags?: readonly string[] | string | undefined;
  /** The owner's user name. Default: any owner (your own series and public ones). */
  user?: string | undefined;
  /** Series asked for per request, 1 to 100 (our server's maximum). Default 100. */
  pageSize?: number | undefined;
  /** The longest page body read, characters; a longer one fails with a {@link TimetricError} naming this cap. Default 16,777,216. */
  maxPageChars?: number | undefined;
}

/** Defaults of {@link SeriesSearch}. */
export const DEFAULT_SEARCH_OPTIONS = { pageSize: 100, maxPageChars: 16 * 1024 * 1024 } satisfies Partial<SeriesSearch>;

/**
 * The paging settings of `search` with their defaults, checked.
 *
 * @param search - What `client.search()` was given.
 * @returns The page size and the longest page body read.
 * @throws ConfigurationError naming `pageSize` or `maxPageChars` when one is out of range.
 */
export function checkSeriesSearch(search: SeriesSearch): { pageSize: number; maxPageChars: number } {
  const pageSize = search.pageSize ?? DEFAULT_SEARCH_OPTIONS.pageSize;
  const maxPageChars = search.maxPageChars ?? DEFAULT_SEARCH_OPTIONS.maxPageChars;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new ConfigurationError(`pageSize must be a whole number from 1 to 100, got ${String(pageSize)}`, 'pageSize');
  }
  if (!Number.isSafeInteger(maxPageChars) || maxPageChars < 1) {
    throw new ConfigurationError(`maxPageChars must be a positive whole number of characters, got ${String(maxPageChars)}`, 'maxPageChars');
  }
  return { pageSize, maxPageChars };
}
