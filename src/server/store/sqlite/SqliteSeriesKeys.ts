import type { Database, Statement } from 'better-sqlite3';
import type { KeyedSeriesWrite } from '../Store.js';
import { keyedSeriesHash } from '../keyedSeriesHash.js';

/**
 * The `keyed_series` index of the SQLite store (series-004-influx): which series of an owner has a
 * key, found by one primary-key probe on the key's hash. Every method runs inside the caller's
 * transaction.
 */
export class SqliteSeriesKeys {
  private readonly q: {
    find: Statement<[number, string], string>;
    count: Statement<[number], number>;
    insert: Statement<[number, string, string, string, string, string]>;
    databases: Statement<[number], string>;
    measurements: Statement<[number, string], string>;
  };

  constructor(db: Database) {
    this.q = {
      find: db.prepare<[number, string], string>('SELECT series_id FROM keyed_series WHERE owner_id = ? AND key_hash = ?').pluck(),
      count: db.prepare<[number], number>('SELECT count(*) FROM keyed_series WHERE owner_id = ?').pluck(),
      insert: db.prepare('INSERT INTO keyed_series (owner_id, key_hash, series_id, key, database, measurement) VALUES (?, ?, ?, ?, ?, ?)'),
      databases: db.prepare<[number], string>('SELECT DISTINCT database FROM keyed_series WHERE owner_id = ? ORDER BY database').pluck(),
      measurements: db
        .prepare<[number, string], string>('SELECT DISTINCT measurement FROM keyed_series WHERE owner_id = ? AND database = ? ORDER BY measurement')
        .pluck(),
    };
  }

  /** The series ids of `writes` (undefined where none has the key yet), in order. */
  find(ownerId: number, writes: readonly KeyedSeriesWrite[]): (string | undefined)[] {
    return writes.map((w) => this.q.find.get(ownerId, keyedSeriesHash(w.key)));
  }

  /** How many keyed series the owner holds. */
  count(ownerId: number): number {
    return this.q.count.get(ownerId) ?? 0;
  }

  /** Records that `seriesId` (just inserted) has the key of `write`. */
  insert(ownerId: number, write: KeyedSeriesWrite, seriesId: string): void {
    this.q.insert.run(ownerId, keyedSeriesHash(write.key), seriesId, write.key, write.database, write.measurement);
  }

  /** Distinct databases of the owner, or measurements of one database; sorted. */
  names(ownerId: number, database?: string): string[] {
    return database === undefined ? this.q.databases.all(ownerId) : this.q.measurements.all(ownerId, database);
  }
}
