import type { Database } from 'better-sqlite3';
import type { PointValue } from '../../../codec/Point.js';
import { ChunkWriter } from '../chunks/ChunkWriter.js';
import type { ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';
import { runStepSync } from '../chunks/runStepSync.js';
import type { SqliteChunkTable } from './SqliteChunkTable.js';
import { fromSqliteValue, type SqliteValue } from './sqliteValue.js';

/** What {@link migratePointRows} moved. */
export interface PointRowsMigration {
  /** Points moved into chunks by this call. */
  moved: number;
  /** Whether the `points` table was there (and is dropped now). */
  migrated: boolean;
}

/**
 * Moves the points of the row format (table `points`, one row a point, before storage #17) into
 * chunks, after migration series-003 created the chunk tables. Series by series, in batches of
 * `batchPoints` (rounded up to whole chunks, so every chunk but a series' last is full), each
 * batch ONE transaction that writes the batch's chunks and deletes its rows: memory stays bounded
 * by a batch, and a crash between batches leaves each point either in a chunk or still a row, never
 * both, so the next open goes on where it stopped (its first batch fills the short last chunk the
 * crash left). `points` is dropped once empty and the file vacuumed (best effort). Rows of series
 * that no longer exist are deleted.
 *
 * @param onProgress - Called after each batch with the points moved so far and the rows left.
 */
export function migratePointRows(
  db: Database,
  table: SqliteChunkTable,
  batchPoints: number,
  chunks: Required<ChunkStoreOptions>,
  onProgress?: (moved: number, left: number) => void,
): PointRowsMigration {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'points'").get();
  if (!exists) return { moved: 0, migrated: false };
  const batch = Math.max(1, Math.ceil(batchPoints / chunks.chunkPoints)) * chunks.chunkPoints;
  const nextSeries = db.prepare<[], string>('SELECT series_id FROM points ORDER BY series_id LIMIT 1').pluck();
  const keyOf = db.prepare<[string], number>('SELECT key FROM series_keys WHERE series_id = ?').pluck();
  const times = db.prepare<[string, number], number>('SELECT ts FROM points WHERE series_id = ? ORDER BY ts LIMIT ?').pluck();
  const values = db.prepare<[string, number], SqliteValue>('SELECT v FROM points WHERE series_id = ? ORDER BY ts LIMIT ?').pluck();
  const remove = db.prepare<[string, number]>('DELETE FROM points WHERE series_id = ? AND ts <= ?');
  const removeSeries = db.prepare<[string]>('DELETE FROM points WHERE series_id = ?');
  // Counted once (a scan of the index): progress only.
  let left = db.prepare<[], number>('SELECT count(*) FROM points').pluck().get() ?? 0;
  let moved = 0;
  const step = db.transaction((): boolean => {
    const id = nextSeries.get();
    if (id === undefined) return false;
    const key = keyOf.get(id);
    if (key === undefined) {
      left -= removeSeries.run(id).changes;
      return true;
    }
    // Both columns in one transaction: the same rows in the same order.
    const t = times.all(id, batch);
    const stored = values.all(id, batch);
    const vs = stored as PointValue[];
    for (let i = 0; i < stored.length; i++) {
      const v = stored[i]!;
      if (typeof v !== 'number' && v !== null) vs[i] = fromSqliteValue(v);
    }
    const writer = new ChunkWriter(table, key, chunks);
    runStepSync(writer.add({ times: t, values: vs }));
    runStepSync(writer.finish());
    remove.run(id, t[t.length - 1]!);
    moved += t.length;
    left -= t.length;
    return true;
  });
  while (step.immediate()) onProgress?.(moved, left);
  db.exec('DROP TABLE points');
  // The rows' pages are free now (47 bytes a point): give them back to the file system. Best
  // effort: another connection reading the file makes VACUUM fail, and later writes reuse them.
  try {
    db.exec('VACUUM');
  } catch {
    // SQLITE_BUSY and the like: the free pages stay in the file, to be reused.
  }
  return { moved, migrated: true };
}
