import type { Migration } from './Migration.js';

/**
 * Series and points. Values are stored untyped: a REAL for numbers, NULL for null, the text
 * 't' / 'f' for true / false (SQLite has no boolean); untyped columns keep -0 (a REAL column
 * would store it as 0).
 *
 * `series` holds what every request reads or changes (owner, visibility, version) and
 * `series_meta` the metadata text: SQLite rewrites a whole row on UPDATE, so with the metadata in
 * `series` each write's version bump rewrote the title, description and extra fields too, and
 * every access check read them.
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
  {
    name: 'series-002',
    sql: `
      CREATE TABLE series_meta (
        series_id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        caption TEXT NOT NULL,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        extra TEXT NOT NULL DEFAULT '{}'
      );
      INSERT INTO series_meta (series_id, title, caption, description, tags, extra)
        SELECT id, title, caption, description, tags, extra FROM series;
      ALTER TABLE series DROP COLUMN title;
      ALTER TABLE series DROP COLUMN caption;
      ALTER TABLE series DROP COLUMN description;
      ALTER TABLE series DROP COLUMN tags;
      ALTER TABLE series DROP COLUMN extra;
      CREATE INDEX series_created ON series(created_at, id);
    `,
  },
  {
    // Storage #17: points in compressed chunks (src/codec/chunk) and an uncompressed head, keyed
    // by an integer per series (the 22-character id stays the public one). The rows of `points`
    // are moved into chunks after this step, in batches (migratePointRows), and the table is
    // dropped once empty. A chunk's summary holds its count of numbers and the times of its min
    // and max (the first point holding each), so means and M4 fold it without decoding it. Staged uploads live in a TEMP table of their connection now, so
    // `staging` goes: a second process opening the file can no longer touch them.
    name: 'series-003',
    sql: `
      CREATE TABLE series_keys (
        key INTEGER PRIMARY KEY,
        series_id TEXT NOT NULL UNIQUE
      );
      INSERT INTO series_keys (series_id) SELECT id FROM series ORDER BY created_at, id;
      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        series_key INTEGER NOT NULL,
        start_ts REAL NOT NULL,
        end_ts REAL NOT NULL,
        count INTEGER NOT NULL,
        min,
        max,
        sum,
        numbers INTEGER NOT NULL,
        min_ts REAL,
        max_ts REAL,
        first_ts REAL NOT NULL,
        first_v,
        last_ts REAL NOT NULL,
        last_v,
        data BLOB NOT NULL
      );
      CREATE INDEX chunks_start ON chunks (series_key, start_ts);
      CREATE TABLE head (
        series_key INTEGER NOT NULL,
        ts REAL NOT NULL,
        v,
        PRIMARY KEY (series_key, ts)
      ) WITHOUT ROWID;
      DROP TABLE staging;
    `,
  },
  {
    // Issue 13: series found or created by InfluxDB writes, by the hash of their canonical key
    // (database, measurement, tag set, field) per owner: one primary-key probe a series. Deleting
    // the series deletes its row (foreign keys are on).
    name: 'series-004-influx',
    sql: `
      CREATE TABLE keyed_series (
        owner_id INTEGER NOT NULL,
        key_hash TEXT NOT NULL,
        series_id TEXT NOT NULL UNIQUE REFERENCES series (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        database TEXT NOT NULL,
        measurement TEXT NOT NULL,
        PRIMARY KEY (owner_id, key_hash)
      ) WITHOUT ROWID;
      CREATE INDEX keyed_series_names ON keyed_series (owner_id, database, measurement);
    `,
  },
  {
    // Issue 14: Idempotency-Key of increments, per series, with the request's fingerprint and the
    // status it was answered with; recorded in the transaction of the write it guards, so it holds
    // across restarts and for every instance on the file. Expired rows are purged by created_at.
    name: 'series-005-idempotency',
    sql: `
      CREATE TABLE idempotency_keys (
        series_id TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER NOT NULL,
        created_at REAL NOT NULL,
        PRIMARY KEY (series_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
    `,
  },
  {
    // Issue 12: chunks_start covers the summary columns, so a downsampled read lists a year of
    // chunk summaries from the index alone; before, each summary read its chunk's table page (a
    // chunk of 4 kB fills one), 46 ms of CPU for the 8,760 hour chunks of a year, 9 ms now.
    name: 'series-006-summary-index',
    sql: `
      DROP INDEX chunks_start;
      CREATE INDEX chunks_start ON chunks (series_key, start_ts, end_ts, min, max, min_ts, max_ts, first_ts, first_v, last_ts, last_v, count, sum, numbers);
    `,
  },
];
