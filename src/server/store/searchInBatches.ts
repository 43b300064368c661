import { createTextMatcher } from './createTextMatcher.js';
import type { SeriesQuery, SeriesSummary } from './Store.js';

/**
 * The search rule both stores share: scans the visible series (oldest first) in batches the store
 * reads after a `(createdAt, id)` cursor, keeps those that have every wanted tag and contain the
 * text, and returns the page `offset`, `limit`. Each series costs time linear in its metadata: the
 * text through {@link createTextMatcher}, the tags through one set. Between batches other requests
 * run, and only one batch is held in memory.
 *
 * @param query - The search; `q`, `tags`, `offset` and `limit` are applied here, visibility and
 *   owner by the store's batch query.
 * @param batch - Reads up to `size` visible series after `after` (all from the start when
 *   undefined), ordered by `(createdAt, id)`.
 * @param size - Series per batch. Default 200.
 * @returns The page of matching series.
 */
export async function searchInBatches(
  query: SeriesQuery,
  batch: (after: { createdAt: number; id: string } | undefined, size: number) => Promise<SeriesSummary[]>,
  size = 200,
): Promise<SeriesSummary[]> {
  const text = query.q ? createTextMatcher(query.q) : undefined;
  const wanted = [...new Set((query.tags ?? []).map((t) => t.toLowerCase()))];
  const matches = (s: SeriesSummary): boolean => {
    if (wanted.length > 0) {
      const have = new Set(s.tags.map((t) => t.toLowerCase()));
      if (!wanted.every((t) => have.has(t))) return false;
    }
    if (!text) return true;
    return text(s.title) || text(s.caption) || (s.description !== null && text(s.description)) || s.tags.some(text);
  };
  const page: SeriesSummary[] = [];
  let skip = query.offset;
  let after: { createdAt: number; id: string } | undefined;
  for (;;) {
    const rows = await batch(after, size);
    for (const row of rows) {
      if (!matches(row)) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      page.push(row);
      if (page.length >= query.limit) return page;
    }
    const last = rows[rows.length - 1];
    if (rows.length < size || last === undefined) return page;
    after = { createdAt: last.createdAt, id: last.id };
    // A store that answers synchronously (SQLite) would otherwise hold the event loop for the whole scan.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
