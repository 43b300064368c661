import type { Store } from './Store.js';
import { openSqliteStore } from './sqlite/openSqliteStore.js';

/**
 * Opens the store a `--db` string names: a PostgreSQL URL (`postgres://…` or `postgresql://…`)
 * opens the PostgreSQL store (several server instances may share it); anything else is a SQLite
 * file path (or `:memory:`). The PostgreSQL module, and `pg` with it, is loaded only when a URL
 * asks for it, so SQLite users never load it. The schema is brought up to date either way.
 *
 * @example
 * ```ts
 * import { openStore } from 'timetric/server';
 * const store = await openStore(process.env.TIMETRIC_DB ?? './timetric.db');
 * ```
 * @param db - A file path, `:memory:`, or a PostgreSQL URL.
 * @returns The opened store, schema up to date.
 */
export async function openStore(db: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    const { openPostgresStore } = await import('./postgres/openPostgresStore.js');
    return openPostgresStore(db);
  }
  return openSqliteStore(db);
}
