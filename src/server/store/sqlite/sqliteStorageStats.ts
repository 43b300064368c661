import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { SeriesStorage, StorageStats } from '../Store.js';

/** Bytes a chunk row takes beside its blob (record header, key, summary columns, cell pointer), roughly. */
const CHUNK_ROW = 96;
/** Bytes a head row takes (key, time, value, cell overhead), roughly. */
const HEAD_ROW = 24;
/** What the bytes of points are measured over: the point tables and their index. */
const POINT_TABLES = ['chunks', 'chunks_start', 'head'];

interface Row {
  series_id: string;
  key: number;
  chunks: number;
  points: number;
  blob: number;
}

const fileSize = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/**
 * How the SQLite store holds its points, per series and in total. The pages of the point tables
 * are measured exactly with the `dbstat` virtual table (every page of `chunks`, its index and
 * `head`: overflow pages of the blobs, index pages and free space inside pages included); a page
 * holds rows of several series, so each series is given its share of those bytes in proportion to
 * what its rows hold (blob bytes plus a fixed estimate a row). `databaseBytes` is the file plus
 * its WAL as they are on disk (page count × page size for an in-memory database).
 * Cost: one pass over the pages of the point tables, and over the chunk rows of the series asked for.
 */
export function sqliteStorageStats(db: Database, id?: string): StorageStats {
  const where = id === undefined ? '' : 'WHERE k.series_id = ?';
  const rows = db
    .prepare<unknown[], Row>(
      `SELECT k.series_id, k.key, count(c.id) AS chunks, coalesce(sum(c.count), 0) AS points, coalesce(sum(length(c.data)), 0) AS blob
       FROM series_keys k LEFT JOIN chunks c ON c.series_key = k.key ${where} GROUP BY k.key ORDER BY k.key`,
    )
    .all(...(id === undefined ? [] : [id]));
  const headCount = db.prepare<[number], number>('SELECT count(*) FROM head WHERE series_key = ?').pluck();
  const totals = db
    .prepare<[], { payload: number }>(
      `SELECT coalesce((SELECT sum(length(data)) + ${CHUNK_ROW} * count(*) FROM chunks), 0) + ${HEAD_ROW} * (SELECT count(*) FROM head) AS payload`,
    )
    .get()!;
  const pages = db
    .prepare<[], number>(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE aggregate = TRUE AND name IN (${POINT_TABLES.map((n) => `'${n}'`).join(', ')})`)
    .pluck()
    .get()!;
  const scale = totals.payload > 0 ? pages / totals.payload : 0;
  const series: SeriesStorage[] = rows.map((r) => {
    const headPoints = headCount.get(r.key)!;
    return {
      seriesId: r.series_id,
      points: r.points + headPoints,
      chunks: r.chunks,
      headPoints,
      bytes: Math.round((r.blob + CHUNK_ROW * r.chunks + HEAD_ROW * headPoints) * scale),
    };
  });
  const file = db.name;
  const databaseBytes = db.memory || file === '' ? db.pragma('page_count', { simple: true }) as number * (db.pragma('page_size', { simple: true }) as number) : fileSize(file) + fileSize(`${file}-wal`);
  return { series, databaseBytes };
}
