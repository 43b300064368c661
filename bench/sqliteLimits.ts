import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What SQLite itself manages on this machine right now (medians of `runs`). */
export interface SqliteLimits {
  /** Rows/s inserted in one transaction into a WITHOUT ROWID table keyed (series, ts), WAL. */
  insertRowsPerSecond: number;
  /** Single-row transactions/s with synchronous=FULL, WAL: the ceiling of one-point appends. */
  commitsPerSecond: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The machine's current SQLite ceilings, in this process with no HTTP, as references for the
 * server's ingest and append figures measured in the same run (the machine is shared, so a
 * figure from another day says little about the load of this one).
 */
export function sqliteLimits(rows: number, runs: number, commitMs = 1_000): SqliteLimits {
  const dir = mkdtempSync(join(tmpdir(), 'timetric-sqlite-limits-'));
  const inserts: number[] = [];
  const commits: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const db = new Database(join(dir, `limits-${run}.db`));
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.exec('CREATE TABLE points (series_id TEXT NOT NULL, ts REAL NOT NULL, v, PRIMARY KEY (series_id, ts)) WITHOUT ROWID');
        const insert = db.prepare('INSERT INTO points VALUES (?, ?, ?)');
        const id = 'limitslimitslimitslimi';
        let t0 = performance.now();
        db.transaction(() => {
          for (let i = 0; i < rows; i++) insert.run(id, 1_500_000_000 + i, (i % 10_000) / 100);
        })();
        inserts.push(rows / ((performance.now() - t0) / 1000));
        let n = 0;
        t0 = performance.now();
        while (performance.now() - t0 < commitMs) insert.run('appendsappendsappendsa', n++, n);
        commits.push(n / ((performance.now() - t0) / 1000));
      } finally {
        db.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { insertRowsPerSecond: median(inserts), commitsPerSecond: median(commits) };
}
