import { ConfigurationError } from '../../errors/ConfigurationError.js';
import type { Store } from './Store.js';
import { openSqliteStore } from './sqlite/openSqliteStore.js';

/**
 * Opens the store a `--db` string names: a SQLite file path (or `:memory:`). PostgreSQL URLs
 * (`postgres://…`) are recognised and refused until the PostgreSQL store is added here.
 *
 * @example
 * ```ts
 * import { openStore } from 'timetric/server';
 * const store = await openStore(process.env.TIMETRIC_DB ?? './timetric.db');
 * ```
 * @param db - A file path, `:memory:`, or a PostgreSQL URL.
 * @returns The opened store, schema up to date.
 */
export function openStore(db: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    return Promise.reject(new ConfigurationError('PostgreSQL stores are not supported by this build yet', 'db'));
  }
  return openSqliteStore(db);
}
