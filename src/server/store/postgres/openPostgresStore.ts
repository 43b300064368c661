import type { Store } from '../Store.js';
import { composeStore } from '../composeStore.js';
import { migratePoints } from './migratePoints.js';
import { migratePostgres } from './migratePostgres.js';
import { loadPgDriver } from './pgDriver.js';
import { PgChangeChannel } from './PgChangeChannel.js';
import { pgMigrations } from './pgMigrations.js';
import type { PostgresStoreOptions } from './postgresStoreOptions.js';
import { PostgresAuthStore } from './PostgresAuthStore.js';
import { PostgresSeriesStore } from './PostgresSeriesStore.js';
import { resolvePostgresStoreOptions } from './resolvePostgresStoreOptions.js';

/**
 * Session settings of the store's pooled connections. Every point query reads one series in time
 * order through the `(series_key, start_ts)` / `(series_key, ts)` primary keys. Without fresh statistics (right after a big
 * upload, before autovacuum's ANALYZE, or for a series too small to be among the most common
 * values) the planner guesses a few rows and prefers a bitmap scan of ALL the series' points
 * followed by a sort: a 10,000-point page or a `latest()` then costs as much as the whole series
 * (measured: 350 ms instead of 2 ms per page, turning a full read quadratic). No query of this
 * store gains from bitmap scans, so they are off for its own connections only.
 */
const PLANNER_OPTIONS = '-c enable_bitmapscan=off';

export { DEFAULT_POSTGRES_STORE_OPTIONS, type PostgresStoreOptions } from './postgresStoreOptions.js';

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
 * @param options - Pool size, whether to migrate, chunk and batch sizes.
 * @returns The opened store; `close()` ends its connections.
 */
export async function openPostgresStore(connectionString: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const opts = resolvePostgresStoreOptions(options);
  const driver = await loadPgDriver();
  const pool = new driver.Pool({ connectionString, max: opts.poolSize, options: PLANNER_OPTIONS });
  // An idle pooled connection that dies (server restart) is dropped by the pool; without a
  // listener its 'error' would crash the process.
  pool.on('error', () => undefined);
  const changes = new PgChangeChannel({ connectionString }, driver.Client);
  const migrate = async (): Promise<void> => {
    await migratePostgres(pool, pgMigrations);
    await migratePoints(pool, driver.copyTo, { batchPoints: opts.migrateBatchPoints, chunks: opts.chunks });
  };
  try {
    if (opts.migrate) await migrate();
    await changes.start();
  } catch (err) {
    await changes.close();
    await pool.end();
    throw err;
  }
  const series = new PostgresSeriesStore(pool, changes, driver, { chunks: opts.chunks, stagedRunPoints: opts.stagedRunPoints });
  const auth = new PostgresAuthStore(pool);
  let closing: Promise<void> | undefined;
  return composeStore(series, auth, {
    migrate,
    // Background compaction first: it may still be using the pool.
    close: () => (closing ??= Promise.all([changes.close(), series.close().then(() => pool.end())]).then(() => undefined)),
  });
}
