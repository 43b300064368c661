import Database from 'better-sqlite3';
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
  const store: Store = {
    createSeries: (s) => series.createSeries(s),
    getSeries: (id) => series.getSeries(id),
    deleteSeries: (id) => series.deleteSeries(id),
    searchSeries: (q) => series.searchSeries(q),
    readPoints: (id, range, chunk) => series.readPoints(id, range, chunk),
    latest: (id) => series.latest(id),
    appendValue: (id, t, v) => series.appendValue(id, t, v),
    increment: (id, t, d) => series.increment(id, t, d),
    openWriter: (id, mode, create) => series.openWriter(id, mode, create),
    onChange: (listener) => series.onChange(listener),
    createUser: (n, h) => auth.createUser(n, h),
    getUserByName: (n) => auth.getUserByName(n),
    getUserById: (id) => auth.getUserById(id),
    createApiToken: (t) => auth.createApiToken(t),
    getApiToken: (k) => auth.getApiToken(k),
    listApiTokens: (u) => auth.listApiTokens(u),
    revokeApiToken: (k) => auth.revokeApiToken(k),
    createConsumer: (c) => auth.createConsumer(c),
    getConsumer: (k) => auth.getConsumer(k),
    listConsumers: () => auth.listConsumers(),
    saveOAuthToken: (t) => auth.saveOAuthToken(t),
    getOAuthToken: (t) => auth.getOAuthToken(t),
    updateOAuthToken: (t, p) => auth.updateOAuthToken(t, p),
    deleteOAuthToken: (t) => auth.deleteOAuthToken(t),
    useNonce: (c, t, n, ts, w) => auth.useNonce(c, t, n, ts, w),
    migrate: () => Promise.resolve(void migrateSqlite(db, [...seriesMigrations, ...authMigrations])),
    close: () => Promise.resolve(void db.close()),
  };
  return Promise.resolve(store);
}
