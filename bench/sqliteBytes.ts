import Database from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';

/** Bytes of a SQLite store file as it lives on disk and once compacted. */
export interface SqliteBytes {
  /** Main file + WAL after a TRUNCATE checkpoint (the WAL is then empty): what the store occupies as it left the data. */
  live: number;
  /** After the store's own compaction (when it has one), the size of a `VACUUM INTO` copy: every table and index rebuilt without free pages. */
  compacted: number;
}

const size = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

/**
 * Measures a SQLite file another process (the server) has open: checkpoints its WAL into the main
 * file through a second connection (retried while a reader holds it) for the live size; runs
 * `compact` (the store's own compaction, in the server process); then writes a compacted copy with
 * `VACUUM INTO` beside the file and deletes the copy. The measuring steps never change the data.
 */
export async function sqliteBytes(file: string, compact?: () => Promise<unknown>): Promise<SqliteBytes> {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    for (let attempt = 0; ; attempt++) {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (!result || result.busy === 0) break;
      if (attempt === 20) throw new Error(`${file}: WAL checkpoint stayed busy`);
    }
    const live = size(file) + size(`${file}-wal`);
    if (compact) await compact();
    const copy = `${file}.vacuum-${process.pid}`;
    rmSync(copy, { force: true });
    db.prepare('VACUUM INTO ?').run(copy);
    const compacted = size(copy);
    rmSync(copy, { force: true });
    return { live, compacted };
  } finally {
    db.close();
  }
}
