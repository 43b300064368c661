import type { Database, Statement } from 'better-sqlite3';
import type { ChunkSummaryRow, DownsampleTable, SummaryColumns } from '../chunks/downsampleTable.js';
import type { TimeBounds } from '../chunks/ChunkTable.js';
import type { Columns } from '../chunks/Columns.js';
import { doneStep, type Step } from '../chunks/Step.js';
import type { SqliteChunkTable } from './SqliteChunkTable.js';
import { fromSqliteValue, type SqliteValue } from './sqliteValue.js';

type Row = [
  ref: number,
  ...summary: SummaryColumns,
  firstTs: number,
  firstV: SqliteValue,
  lastTs: number,
  lastV: SqliteValue,
];

const COLUMNS = 'id, start_ts, end_ts, count, min, max, sum, numbers, min_ts, max_ts, first_ts, first_v, last_ts, last_v';

/**
 * The two summary queries (the chunk starting before `from`, then those starting in `[from, to]`),
 * both served by the covering index `chunks_start` (series-006): no table page is read.
 */
export const SUMMARY_QUERIES = {
  before: `SELECT ${COLUMNS} FROM chunks WHERE series_key = ? AND start_ts < ? ORDER BY start_ts DESC LIMIT 1`,
  from: `SELECT ${COLUMNS} FROM chunks WHERE series_key = ? AND start_ts >= ? AND start_ts <= ? ORDER BY start_ts LIMIT ?`,
} as const;

const toRow = (r: Row): ChunkSummaryRow => ({
  ref: r[0],
  start: r[1],
  end: r[2],
  count: r[3],
  min: r[4],
  max: r[5],
  sum: r[6],
  numbers: r[7],
  minTime: r[8],
  maxTime: r[9],
  first: [r[10], fromSqliteValue(r[11])],
  last: [r[12], fromSqliteValue(r[13])],
});

/**
 * The SQL of downsampled reads on SQLite: chunk summaries from the summary columns of `chunks`
 * (series-003) by the same two index seeks as {@link SqliteChunkTable.chunksMeeting}, never the
 * bytes; chunk bytes and head points from the store's {@link SqliteChunkTable}.
 */
export class SqliteDownsampleTable implements DownsampleTable<number> {
  private readonly before: Statement<[number, number], Row>;
  private readonly from: Statement<[number, number, number, number], Row>;

  constructor(
    db: Database,
    private readonly chunks: SqliteChunkTable,
  ) {
    this.before = db.prepare(SUMMARY_QUERIES.before).raw() as Statement<[number, number], Row>;
    this.from = db.prepare(SUMMARY_QUERIES.from).raw() as Statement<[number, number, number, number], Row>;
  }

  chunkSummaries(key: number, from: number, to: number, limit: number): Step<ChunkSummaryRow[]> {
    if (limit <= 0 || to < from) return doneStep([]);
    const b = this.before.get(key, from);
    const first = b !== undefined && b[2] >= from ? [toRow(b)] : [];
    const rest = this.from.all(key, from, to, limit - first.length).map(toRow);
    return doneStep(first.length ? [...first, ...rest] : rest);
  }

  chunkData(ref: number): Step<Uint8Array> {
    return this.chunks.chunkData(ref);
  }

  headIn(key: number, bounds: TimeBounds): Step<Columns> {
    return this.chunks.headIn(key, bounds);
  }
}
