import type { Pool } from 'pg';
import type { PgMigration } from './pgMigrations.js';

/** Key of the advisory lock that serialises migrations of instances starting at once ("timetric"). */
const MIGRATION_LOCK = 0x74696d65;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, all in one transaction under a
 * transaction-scoped advisory lock: instances starting together wait for the first one and then
 * find nothing left to do. Idempotent.
 *
 * @returns The names applied by this call.
 */
export async function migratePostgres(pool: Pool, migrations: readonly PgMigration[]): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = await client.query<{ name: string }>('SELECT name FROM schema_migrations');
    const have = new Set(done.rows.map((r) => r.name));
    for (const m of migrations) {
      if (have.has(m.name)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [m.name]);
      applied.push(m.name);
    }
    await client.query('COMMIT');
    client.release();
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(true);
    throw err;
  }
}
