import Database from 'better-sqlite3';
import { composeStore } from '../composeStore.js';
import type { Store } from '../Store.js';
import { authMigrations } from './authMigrations.js';
import { migrateSqlite } from './migrateSqlite.js';
import { seriesMigrations } from './seriesMigrations.js';
import { SqliteAuthStore } from './SqliteAuthStore.js';
import { SqliteSeriesStore, type SqliteSeriesStoreOptions } from './SqliteSeriesStore.js';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions extends SqliteSeriesStoreOptions {
  /**
   * `'FULL'` (default): an acknowledged write survives a power loss, not only a crash of the process.
   * `'NORMAL'`: faster single-point writes (~10×); a power loss may drop the last acknowledged ones.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Opens (creating if needed) the SQLite store in one file, or in memory with `':memory:'`, and
 * brings its schema up to date. WAL mode: readers never block the writer. Serve one file from one
 * server process (use PostgreSQL for several instances).
 *
 * @example
 * ```ts
 * import { createTimetricServer, openSqliteStore } from 'timetric/server';
 * const server = createTimetricServer({ store: await openSqliteStore('./timetric.db') });
 * console.log(`listening on ${await server.listen({ port: 8080 })}`);
 * ```
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<Store> {
  const db = new Database(path);
  try {
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrateSqlite(db, [...seriesMigrations, ...authMigrations]);
  } catch (err) {
    db.close();
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  const series = new SqliteSeriesStore(db, options);
  const auth = new SqliteAuthStore(db);
  const store: Store = composeStore(series, auth, {
    migrate: () => Promise.resolve(void migrateSqlite(db, [...seriesMigrations, ...authMigrations])),
    close: () => Promise.resolve(void db.close()),
  });
  return Promise.resolve(store);
}
