import type { Database, Statement } from 'better-sqlite3';
import type { PointValue } from '../../../codec/Point.js';
import type { Columns } from '../chunks/Columns.js';
import type { PointBuffer } from './PointBuffer.js';
import { fromSqliteValue, toSqliteValue, type SqliteValue } from './sqliteValue.js';

/**
 * The points a spilling upload staged, in a TEMP table of its own on the store's connection:
 * keyed by time, a later point replacing an earlier one at the same time (spills go in arrival
 * order, so the last arrival wins, as in memory). A temporary table is invisible to other
 * connections — another process opening the file (an admin command, a second server) cannot
 * delete it — and dies with the connection, so a crash leaves nothing to clean. Dropping the
 * table frees it at once, where deleting its rows would take seconds for millions of points.
 */
export class StagedPoints {
  private readonly table: string;
  private readonly upsert: Statement<[number, SqliteValue]>;
  private readonly page: Statement<[number, number], [number, SqliteValue]>;
  private dropped = false;

  constructor(
    private readonly db: Database,
    writerId: number,
  ) {
    this.table = `temp.staged_points_${writerId}`;
    db.exec(`CREATE TABLE ${this.table} (ts REAL PRIMARY KEY, v) WITHOUT ROWID`);
    this.upsert = db.prepare(`INSERT INTO ${this.table} (ts, v) VALUES (?, ?) ON CONFLICT (ts) DO UPDATE SET v = excluded.v`);
    this.page = db.prepare<[number, number], [number, SqliteValue]>(`SELECT ts, v FROM ${this.table} WHERE ts > ? ORDER BY ts LIMIT ?`).raw();
  }

  /** Stages the buffer's points `from` to `to` (exclusive) in one transaction. */
  add(buffer: PointBuffer, from: number, to: number): void {
    this.db.transaction(() => buffer.forEachIn(from, to, (t, v) => this.upsert.run(t, toSqliteValue(v))))();
  }

  /** Everything staged, ascending by time, in runs of at most `size` points (read inside the caller's transaction). */
  *sortedRuns(size: number): Generator<Columns> {
    let after = -Infinity;
    for (;;) {
      const rows = this.page.all(after, size);
      if (rows.length === 0) return;
      const times = new Float64Array(rows.length);
      const values = new Array<PointValue>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        times[i] = rows[i]![0];
        values[i] = fromSqliteValue(rows[i]![1]);
      }
      yield { times, values };
      if (rows.length < size) return;
      after = times[rows.length - 1]!;
    }
  }

  /** Drops the table (safe twice). */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    // A closed connection took its temporary tables with it.
    if (this.db.open) this.db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }
}
