import type { Client, Pool } from 'pg';
import type { from as copyFromFn, to as copyToFn } from 'pg-copy-streams';

/** The parts of `pg` and `pg-copy-streams` the store uses, loaded on first use. */
export interface PgDriver {
  Pool: typeof Pool;
  Client: typeof Client;
  copyFrom: typeof copyFromFn;
  copyTo: typeof copyToFn;
}

let loading: Promise<PgDriver> | undefined;

/**
 * Loads the PostgreSQL driver with dynamic imports, which bundlers leave as they are: a server
 * bundle on SQLite never loads `pg`, even though `timetric/server` exports the PostgreSQL store.
 */
export function loadPgDriver(): Promise<PgDriver> {
  return (loading ??= Promise.all([import('pg'), import('pg-copy-streams')]).then(([pg, copy]) => ({
    Pool: pg.default.Pool,
    Client: pg.default.Client,
    copyFrom: copy.from,
    copyTo: copy.to,
  })));
}
