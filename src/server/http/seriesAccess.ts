import type { Principal } from '../auth/Authenticator.js';
import type { SeriesHead, Store } from '../store/Store.js';
import { isSeriesId } from '../ids.js';
import { HttpProblem } from './HttpProblem.js';

export const CHALLENGE = { 'www-authenticate': 'Basic realm="Timetric"' };

/** Refuses ids that cannot be series ids (22 characters of URL-safe base64). */
export function checkSeriesId(id: string): void {
  if (!isSeriesId(id)) throw new HttpProblem(400, `malformed series id ${JSON.stringify(id.slice(0, 60))}: expected 22 characters of A-Z a-z 0-9 - _`);
}

/**
 * Loads a series for reading or writing under the visibility rules: anonymous and not public →
 * 401 + challenge (existence not revealed); signed in and not theirs and private (or unknown) → 404;
 * writing to another user's public series → 403. Reads only the series' head (no metadata text):
 * every read and write passes here, so its cost must not grow with the size of the metadata.
 */
export async function seriesFor(store: Store, id: string, who: Principal | null, need: 'read' | 'write'): Promise<SeriesHead> {
  checkSeriesId(id);
  const series = await store.getSeriesHead(id);
  const mine = series !== undefined && who !== null && series.ownerId === who.userId;
  if (mine) return series;
  if (need === 'read' && series?.public) return series;
  if (who === null) throw new HttpProblem(401, 'authentication required: send an API token (HTTP Basic) or OAuth credentials', CHALLENGE);
  if (need === 'write' && series?.public) throw new HttpProblem(403, `series ${id} belongs to another user; it is public to read, not to write`);
  throw new HttpProblem(404, `no series ${id}`);
}
