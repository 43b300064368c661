import type { Store } from '../Store.js';
import { composeStore } from '../composeStore.js';
import { migratePostgres } from './migratePostgres.js';
import { loadPgDriver } from './pgDriver.js';
import { PgChangeChannel } from './PgChangeChannel.js';
import { pgMigrations } from './pgMigrations.js';
import { PostgresAuthStore } from './PostgresAuthStore.js';
import { PostgresSeriesStore } from './PostgresSeriesStore.js';

/**
 * Session settings of the store's pooled connections. Every point query reads one series in time
 * order through the `(series_id, ts)` primary key. Without fresh statistics (right after a big
 * upload, before autovacuum's ANALYZE, or for a series too small to be among the most common
 * values) the planner guesses a few rows and prefers a bitmap scan of ALL the series' points
 * followed by a sort: a 10,000-point page or a `latest()` then costs as much as the whole series
 * (measured: 350 ms instead of 2 ms per page, turning a full read quadratic). No query of this
 * store gains from bitmap scans, so they are off for its own connections only.
 */
const PLANNER_OPTIONS = '-c enable_bitmapscan=off';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /**
   * Most pooled connections this instance opens (default 20). A staged write (an upload) holds
   * one for its whole duration, plus one dedicated connection for LISTEN.
   */
  poolSize?: number;
  /** Apply pending migrations when opening (default true). */
  migrate?: boolean;
}

/** Defaults of {@link PostgresStoreOptions}. */
export const DEFAULT_POSTGRES_STORE_OPTIONS = { poolSize: 20, migrate: true } as const;

/**
 * Opens the PostgreSQL store: a connection pool, the schema brought up to date (under an advisory
 * lock, so several instances may start at once), and a LISTEN connection that relays changes made
 * by other instances to {@link Store.onChange}. Any number of server instances may share one
 * database; they behave as one service (shared users, tokens and OAuth nonces).
 *
 * @example
 * ```ts
 * import { createTimetricServer, openPostgresStore } from 'timetric/server';
 * const store = await openPostgresStore('postgres://timetric@db.internal/timetric');
 * const server = createTimetricServer({ store });
 * ```
 * @param connectionString - A libpq-style URL, `postgres://user:password@host:port/database`.
 * @param options - Pool size and whether to migrate.
 * @returns The opened store; `close()` ends its connections.
 */
export async function openPostgresStore(connectionString: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const opts = { ...DEFAULT_POSTGRES_STORE_OPTIONS, ...options };
  const driver = await loadPgDriver();
  const pool = new driver.Pool({ connectionString, max: opts.poolSize, options: PLANNER_OPTIONS });
  // An idle pooled connection that dies (server restart) is dropped by the pool; without a
  // listener its 'error' would crash the process.
  pool.on('error', () => undefined);
  const changes = new PgChangeChannel({ connectionString }, driver.Client);
  try {
    if (opts.migrate) await migratePostgres(pool, pgMigrations);
    await changes.start();
  } catch (err) {
    await changes.close();
    await pool.end();
    throw err;
  }
  const series = new PostgresSeriesStore(pool, changes, driver);
  const auth = new PostgresAuthStore(pool);
  let closing: Promise<void> | undefined;
  return composeStore(series, auth, {
    migrate: async () => void (await migratePostgres(pool, pgMigrations)),
    close: () => (closing ??= Promise.all([changes.close(), pool.end()]).then(() => undefined)),
  });
}
