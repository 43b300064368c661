import Database from 'better-sqlite3';
import { DEFAULT_CHUNK_STORE_OPTIONS } from '../chunks/chunkStoreOptions.js';
import { composeStore } from '../composeStore.js';
import type { Store } from '../Store.js';
import { authMigrations } from './authMigrations.js';
import { migratePointRows } from './migratePointRows.js';
import { migrateSqlite } from './migrateSqlite.js';
import { seriesMigrations } from './seriesMigrations.js';
import { SqliteAuthStore } from './SqliteAuthStore.js';
import { SqliteChunkTable } from './SqliteChunkTable.js';
import { SqliteSeriesStore } from './SqliteSeriesStore.js';
import { DEFAULT_SQLITE_STORE_OPTIONS, type SqliteStoreOptions } from './sqliteStoreOptions.js';

export type { SqliteStoreOptions } from './sqliteStoreOptions.js';

/** The schema steps, then the points of the row format moved into chunks (bounded batches). */
function migrate(db: Database.Database, options: SqliteStoreOptions): void {
  migrateSqlite(db, [...seriesMigrations, ...authMigrations]);
  const o = { ...DEFAULT_SQLITE_STORE_OPTIONS, ...options };
  migratePointRows(db, new SqliteChunkTable(db), o.batchPoints, { ...DEFAULT_CHUNK_STORE_OPTIONS, ...o.chunks }, o.onMigrationProgress);
}

/**
 * Opens (creating if needed) the SQLite store in one file, or in memory with `':memory:'`, and
 * brings its schema up to date: a database of the row format (before storage #17) has its points
 * moved into chunks first, in bounded batches (a crash mid-way is finished by the next open).
 * WAL mode: readers never block the writer. Serve one file from one server process (use
 * PostgreSQL for several instances); admin commands may open it beside a running server.
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
    db.pragma(`synchronous = ${options.synchronous ?? DEFAULT_SQLITE_STORE_OPTIONS.synchronous}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db, options);
  } catch (err) {
    db.close();
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  const series = new SqliteSeriesStore(db, options);
  const auth = new SqliteAuthStore(db);
  const store: Store = composeStore(series, auth, {
    migrate: () => Promise.resolve(migrate(db, options)),
    close: () => {
      series.close();
      if (db.open) db.close();
      return Promise.resolve();
    },
  });
  return Promise.resolve(store);
}
