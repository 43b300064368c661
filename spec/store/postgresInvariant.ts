// The chunk invariant of the PostgreSQL store, checked on its tables through a connection of its own.
import assert from 'node:assert/strict';
import type pg from 'pg';
import { decodeChunk } from '../../src/codec/chunk/decodeChunk.js';
import { summarizeChunk } from '../../src/codec/chunk/summarizeChunk.js';
import { fromPgValue } from '../../src/server/store/postgres/pgValue.js';
import { seriesKey } from '../../src/server/store/postgres/seriesKey.js';

interface ChunkRow {
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
  first_v: number | null;
  first_b: boolean | null;
  last_ts: number;
  last_v: number | null;
  last_b: boolean | null;
  data: Buffer;
}

/**
 * What the chunk logic promises on the real tables: a series' chunks disjoint, no head point
 * inside a chunk, each chunk row's summary columns those of its bytes, and the compaction
 * bookkeeping on `series` (head_points at least the head's rows, head_since set while the head
 * holds points). A deleted series leaves no chunk or head row.
 */
export async function checkPostgresInvariant(client: pg.Client, seriesId: string): Promise<void> {
  const key = seriesKey(seriesId);
  const series = await client.query<{ head_points: number; head_since: number | null }>('SELECT head_points, head_since FROM series WHERE id = $1', [seriesId]);
  const headRows = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM head WHERE series_key = $1', [key])).rows[0]!.n);
  const row = series.rows[0];
  if (!row) {
    const left = await client.query<{ n: string }>('SELECT (SELECT count(*) FROM chunks WHERE series_key = $1) + (SELECT count(*) FROM head WHERE series_key = $1) AS n', [key]);
    assert.equal(Number(left.rows[0]!.n), 0, 'chunk or head rows of a deleted series');
    return;
  }
  assert.ok(row.head_points >= headRows, `head_points ${row.head_points} below the head's ${headRows} rows`);
  if (headRows > 0) assert.notEqual(row.head_since, null, 'head points without head_since');
  const overlaps = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM chunks a JOIN chunks b ON b.series_key = a.series_key AND b.start_ts > a.start_ts AND b.start_ts <= a.end_ts
     WHERE a.series_key = $1`,
    [key],
  );
  assert.equal(Number(overlaps.rows[0]!.n), 0, 'chunks overlap');
  const inside = await client.query<{ n: string }>(
    'SELECT count(*) AS n FROM head h JOIN chunks c ON c.series_key = h.series_key AND h.ts BETWEEN c.start_ts AND c.end_ts WHERE h.series_key = $1',
    [key],
  );
  assert.equal(Number(inside.rows[0]!.n), 0, 'a head point inside a chunk');
  const rows = await client.query<ChunkRow>('SELECT * FROM chunks WHERE series_key = $1 ORDER BY start_ts', [key]);
  for (const r of rows.rows) {
    const { times, values } = decodeChunk(r.data);
    const s = summarizeChunk(times, values);
    assert.deepEqual(
      {
        start: r.start_ts,
        end: r.end_ts,
        count: r.count,
        min: r.min,
        max: r.max,
        sum: r.sum,
        numbers: r.numbers,
        minTime: r.min_ts,
        maxTime: r.max_ts,
        first: [r.first_ts, fromPgValue(r.first_v, r.first_b)],
        last: [r.last_ts, fromPgValue(r.last_v, r.last_b)],
      },
      { ...s, first: [...s.first], last: [...s.last] },
      `summary of the chunk at ${r.start_ts}`,
    );
  }
}
