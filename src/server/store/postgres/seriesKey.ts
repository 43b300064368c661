import { createHash } from 'node:crypto';

/**
 * The `points.series_id` of a series: the first 8 bytes of SHA-256 of its public id, as a signed
 * 64-bit integer in decimal text (how pg passes int8 without losing precision). A pure function of
 * the id, so no statement needs a lookup; `series.key` is UNIQUE, so a collision can only make a
 * `createSeries` fail, never mix two series' points.
 */
export function seriesKey(id: string): string {
  return createHash('sha256').update(id).digest().readBigInt64BE(0).toString();
}
