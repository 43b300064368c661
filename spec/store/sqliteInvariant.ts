// The chunk invariant of the SQLite store, checked on its tables through a second connection.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { decodeChunk } from '../../src/codec/chunk/decodeChunk.js';
import { summarizeChunk } from '../../src/codec/chunk/summarizeChunk.js';
import { fromSqliteValue } from '../../src/server/store/sqlite/sqliteValue.js';

/**
 * What the chunk logic promises on the real tables (read through a second connection, given or
 * opened on `file`): chunks
 * of a series disjoint, no head point inside a chunk, and each chunk row's summary that of its
 * bytes.
 */
export function checkSqliteInvariant(file: string | Database.Database, seriesId: string): void {
  const db = typeof file === 'string' ? new Database(file, { readonly: true }) : file;
  try {
    const key = db.prepare<[string], number>('SELECT key FROM series_keys WHERE series_id = ?').pluck().get(seriesId);
    if (key === undefined) {
      assert.equal(db.prepare('SELECT count(*) FROM chunks WHERE series_key NOT IN (SELECT key FROM series_keys)').pluck().get(), 0, 'chunks of a deleted series');
      return;
    }
    const overlaps = db
      .prepare('SELECT count(*) FROM chunks a JOIN chunks b ON a.series_key = b.series_key AND a.id < b.id AND a.start_ts <= b.end_ts AND b.start_ts <= a.end_ts WHERE a.series_key = ?')
      .pluck()
      .get(key);
    assert.equal(overlaps, 0, 'chunks overlap');
    const inside = db.prepare('SELECT count(*) FROM head h JOIN chunks c ON c.series_key = h.series_key AND h.ts BETWEEN c.start_ts AND c.end_ts WHERE h.series_key = ?').pluck().get(key);
    assert.equal(inside, 0, 'a head point inside a chunk');
    const rows = db
      .prepare<
        [number],
        {
          start_ts: number;
          end_ts: number;
          count: number;
          min: number | null;
          max: number | null;
          sum: number | null;
          numbers: number;
          min_ts: number | null;
          max_ts: number | null;
          first_ts: number;
          first_v: number | string | null;
          last_ts: number;
          last_v: number | string | null;
          data: Buffer;
        }
      >('SELECT start_ts, end_ts, count, min, max, sum, numbers, min_ts, max_ts, first_ts, first_v, last_ts, last_v, data FROM chunks WHERE series_key = ?')
      .all(key);
    for (const r of rows) {
      const { times, values } = decodeChunk(r.data);
      assert.deepEqual([r.start_ts, r.end_ts, r.count, r.first_ts, r.last_ts], [times[0], times[times.length - 1], times.length, times[0], times[times.length - 1]]);
      assert.deepEqual([fromSqliteValue(r.first_v), fromSqliteValue(r.last_v)], [values[0], values[values.length - 1]]);
      // The summary columns are those of the bytes (-0 reads back from a REAL-free column as -0).
      const s = summarizeChunk(times, values);
      assert.deepEqual(
        { min: r.min, max: r.max, sum: r.sum, numbers: r.numbers, minTime: r.min_ts, maxTime: r.max_ts },
        { min: s.min, max: s.max, sum: s.sum, numbers: s.numbers, minTime: s.minTime, maxTime: s.maxTime },
        `summary of the chunk at ${r.start_ts}`,
      );
    }
  } finally {
    if (typeof file === 'string') db.close();
  }
}
