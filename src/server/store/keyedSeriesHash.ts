import { createHash } from 'node:crypto';

/**
 * The indexed form of a keyed series' key: SHA-256, base64url (43 characters). Keys may be tens of
 * kilobytes (100 tags), longer than a PostgreSQL B-tree entry may be; the hash keeps every index
 * entry small and the lookup one probe.
 */
export function keyedSeriesHash(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}
