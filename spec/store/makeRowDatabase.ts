// Databases of the row format for the migration spec and bench/migration.ts.
import Database from 'better-sqlite3';
import type { PointValue } from '../../src/codec/Point.js';
import { authMigrations } from '../../src/server/store/sqlite/authMigrations.js';
import { migrateSqlite } from '../../src/server/store/sqlite/migrateSqlite.js';
import { seriesMigrations } from '../../src/server/store/sqlite/seriesMigrations.js';

/**
 * A SQLite database of the row format (before storage #17), built with this tree's own first two
 * schema steps (the same tables as the release): `series` series of `perSeries` points each,
 * generated inside SQLite, at the times and values {@link expectedTime} / {@link expectedValue}
 * give (1 Hz, 2-decimal numbers, a null, a true and a false every 1,000 points); versions 7, 8, ….
 * Returns the series ids.
 */
export function makeRowDatabase(file: string, series: number, perSeries: number): string[] {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrateSqlite(db, [seriesMigrations[0]!, seriesMigrations[1]!, ...authMigrations]);
  const ids: string[] = [];
  for (let s = 0; s < series; s++) {
    const id = `rows${String(s).padStart(3, '0')}`.padEnd(22, 'x');
    ids.push(id);
    db.prepare('INSERT INTO series (id, owner_id, public, created_at, version) VALUES (?, 1, 0, ?, ?)').run(id, s, 7 + s);
    db.prepare("INSERT INTO series_meta (series_id, title, caption) VALUES (?, 'rows', '')").run(id);
    // Generated inside SQLite (no rows through JS): values as expectedValue computes them.
    db.prepare(
      `WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < ?)
       INSERT INTO points (series_id, ts, v)
       SELECT ?, 1500000000 + x + ? * 0.5, CASE x % 1000 WHEN 0 THEN NULL WHEN 1 THEN 't' WHEN 2 THEN 'f' ELSE ((x * 7919 + ?) % 10007) / 100.0 END FROM c`,
    ).run(perSeries - 1, id, s, s);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return ids;
}

export const expectedTime = (s: number, x: number): number => 1_500_000_000 + x + s * 0.5;
export const expectedValue = (s: number, x: number): PointValue => (x % 1000 === 0 ? null : x % 1000 === 1 ? true : x % 1000 === 2 ? false : ((x * 7919 + s) % 10007) / 100);
