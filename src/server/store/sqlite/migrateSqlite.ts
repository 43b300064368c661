import type { Database } from 'better-sqlite3';
import type { Migration } from './Migration.js';

/** Applies the migrations not yet recorded, each in its own transaction. Idempotent. */
export function migrateSqlite(db: Database, migrations: readonly Migration[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)');
  const has = db.prepare<[string], { name: string }>('SELECT name FROM schema_migrations WHERE name = ?');
  const record = db.prepare<[string, number]>('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  const applied: string[] = [];
  for (const m of migrations) {
    // BEGIN IMMEDIATE: a second process migrating the same file waits instead of racing.
    db.transaction(() => {
      if (has.get(m.name)) return;
      db.exec(m.sql);
      record.run(m.name, Date.now() / 1000);
      applied.push(m.name);
    }).immediate();
  }
  return applied;
}
