import { randomBytes } from 'node:crypto';

const SERIES_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * Mints a new series id: 16 random bytes as URL-safe base64 without padding, i.e. 22 characters
 * of `A–Z a–z 0–9 - _` (e.g. `p-DpewL0TO-iBE4nMBCTsQ`), as the historical service did, never
 * beginning with `-`.
 *
 * @example
 * ```ts
 * const id = mintSeriesId(); // 'p-DpewL0TO-iBE4nMBCTsQ'
 * ```
 * @returns a fresh id, unguessable (128 random bits)
 */
export function mintSeriesId(): string {
  // Never with a leading '-': command lines (`timetric cat ID`, parseArgs in scripts) would read
  // such an id as an option. One id in 64 is drawn again, so 127.98 random bits remain.
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (id[0] !== '-') return id;
  }
}

/**
 * Whether `id` has the shape of a series id (22 characters of URL-safe base64). Ids minted
 * elsewhere (imported data) are accepted as long as they have that shape.
 *
 * @param id - text from a URL path
 * @returns `true` for a well-formed id
 */
export function isSeriesId(id: string): boolean {
  return SERIES_ID.test(id);
}
