import pg from 'pg';
import { openPostgresStore } from '../../src/server/store/postgres/openPostgresStore.js';
import type { Store } from '../../src/server/store/Store.js';
import { postgresCluster } from './postgresCluster.js';

let counter = 0;

/** Creates an empty database in the process's throwaway cluster; returns its URL. */
export async function createPostgresTestDatabase(): Promise<{ connectionString: string; drop(): Promise<void> }> {
  const cluster = await postgresCluster();
  const name = `timetric_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: cluster.urlFor('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    connectionString: cluster.urlFor(name),
    async drop() {
      const c = new pg.Client({ connectionString: cluster.urlFor('postgres') });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A PostgreSQL store on a fresh database of a throwaway cluster (started once per process, on
 * first use, stopped at exit). `cleanup()` closes the store and drops the database.
 *
 * @example
 * ```ts
 * const { store, cleanup } = await createPostgresTestStore();
 * after(cleanup);
 * ```
 */
export async function createPostgresTestStore(): Promise<{ store: Store; cleanup(): Promise<void>; connectionString: string }> {
  const db = await createPostgresTestDatabase();
  const store = await openPostgresStore(db.connectionString);
  let done = false;
  return {
    store,
    connectionString: db.connectionString,
    async cleanup() {
      if (done) return;
      done = true;
      await store.close();
      await db.drop();
    },
  };
}
