import type { Migration } from './Migration.js';

/**
 * Series and points. `series_id` leads every data table's key. Values are stored untyped: a REAL
 * for numbers, NULL for null, the text 't' / 'f' for true / false (SQLite has no boolean).
 */
export const seriesMigrations: Migration[] = [
  {
    name: 'series-001',
    sql: `
      CREATE TABLE series (
        id TEXT PRIMARY KEY,
        owner_id INTEGER NOT NULL,
        title TEXT NOT NULL,
        caption TEXT NOT NULL,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        public INTEGER NOT NULL DEFAULT 0,
        extra TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL,
        version INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX series_owner ON series(owner_id);
      CREATE TABLE points (
        series_id TEXT NOT NULL,
        ts REAL NOT NULL,
        v,
        PRIMARY KEY (series_id, ts)
      ) WITHOUT ROWID;
      CREATE TABLE staging (
        writer_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        ts REAL NOT NULL,
        v,
        PRIMARY KEY (writer_id, seq)
      ) WITHOUT ROWID;
    `,
  },
];
