// PostgreSQL databases of the row format (one row a point in `points`, before storage #17) for the
// migration spec: built with this tree's own first two schema steps (the release's tables).
import pg from 'pg';
import type { PointValue } from '../../src/codec/Point.js';
import { migratePostgres } from '../../src/server/store/postgres/migratePostgres.js';
import { pgMigrations } from '../../src/server/store/postgres/pgMigrations.js';
import { seriesKey } from '../../src/server/store/postgres/seriesKey.js';

/**
 * Fills the empty database at `url` with the row format: `series` series of `perSeries` points
 * each, generated inside PostgreSQL, at the times and values {@link expectedTime} /
 * {@link expectedValue} give (1 Hz, 2-decimal numbers, a null, a true and a false every 1,000
 * points); versions 7, 8, …; plus `orphans` rows of a series that no longer exists. Returns the ids.
 */
export async function makePgRowDatabase(url: string, series: number, perSeries: number, orphans = 0): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await migratePostgres(pool, pgMigrations.slice(0, 2));
    const ids: string[] = [];
    for (let s = 0; s < series; s++) {
      const id = `pgrows${String(s).padStart(3, '0')}`.padEnd(22, 'x');
      ids.push(id);
      await pool.query(
        `INSERT INTO series (id, key, owner_id, title, caption, created_at, version) VALUES ($1, $2, 1, 'rows', '', $3, $4)`,
        [id, seriesKey(id), s, 7 + s],
      );
      await fill(pool, seriesKey(id), s, perSeries);
    }
    if (orphans > 0) await fill(pool, seriesKey('pgrowsgonegonegonegone'), 99, orphans);
    await pool.query('ANALYZE points');
    return ids;
  } finally {
    await pool.end();
  }
}

/** Rows generated in the database (nothing through JS), as expectedTime / expectedValue compute them. */
async function fill(pool: pg.Pool, key: string, s: number, n: number): Promise<void> {
  await pool.query(
    `INSERT INTO points (series_id, ts, v, b)
     SELECT $1::bigint, (1500000000 + x)::float8 + ($2::int * 0.5)::float8,
       CASE WHEN x % 1000 < 3 THEN NULL ELSE (((x * 7919 + $2::int) % 10007) / 100.0)::float8 END,
       CASE x % 1000 WHEN 1 THEN true WHEN 2 THEN false END
     FROM generate_series(0::bigint, $3::bigint - 1) AS x`,
    [key, s, n],
  );
}

export const expectedTime = (s: number, x: number): number => 1_500_000_000 + x + s * 0.5;
export const expectedValue = (s: number, x: number): PointValue => (x % 1000 === 0 ? null : x % 1000 === 1 ? true : x % 1000 === 2 ? false : ((x * 7919 + s) % 10007) / 100);
