import type { PoolClient } from 'pg';
import type { Point } from '../../../codec/Point.js';
import type { ChunkSummary } from '../../../codec/chunk/ChunkSummary.js';
import type { ChunkMeta, ChunkWithData } from '../chunks/ChunkMeta.js';
import type { ChunkTable, TimeBounds } from '../chunks/ChunkTable.js';
import type { Columns } from '../chunks/Columns.js';
import { awaitStep, type Step } from '../chunks/Step.js';
import { CHUNK_COLUMNS, CHUNK_ROW_PLACEHOLDERS, chunkRowParams } from './chunkRowParams.js';
import { copyNumber, fromPgValue, pgNumber, pgPointArrays } from './pgValue.js';

type MetaRow = [start: number, end: number, count: number];
type DataRow = [start: number, end: number, count: number, data: Buffer];
type PointRow = [ts: number, v: number | null, b: boolean | null];

/**
 * The chunks meeting [$2, $3]: the one with the greatest start before $2 when it reaches $2 (chunks
 * are disjoint, so no other chunk starting earlier can), then those starting in [$2, $3]. Two
 * range scans of the primary key (series_key, start_ts), whatever the series' length.
 */
const meeting = (columns: string): string => `SELECT ${columns} FROM (
    SELECT * FROM (SELECT ${columns} FROM chunks WHERE series_key = $1 AND start_ts < $2 ORDER BY start_ts DESC LIMIT 1) b WHERE end_ts >= $2
    UNION ALL
    (SELECT ${columns} FROM chunks WHERE series_key = $1 AND start_ts >= $2 AND start_ts <= $3 ORDER BY start_ts LIMIT $4)
  ) m ORDER BY start_ts LIMIT $4`;

const SQL = {
  meeting: meeting('start_ts, end_ts, count'),
  meetingWithData: meeting('start_ts, end_ts, count, data'),
  before: 'SELECT start_ts, end_ts, count FROM chunks WHERE series_key = $1 AND start_ts < $2 ORDER BY start_ts DESC LIMIT 1',
  data: 'SELECT data FROM chunks WHERE series_key = $1 AND start_ts = $2',
  insert: `INSERT INTO chunks (${CHUNK_COLUMNS}) VALUES (${CHUNK_ROW_PLACEHOLDERS})`,
  delete: 'DELETE FROM chunks WHERE series_key = $1 AND start_ts = ANY ($2::float8[])',
  upsertHead: `INSERT INTO head (series_key, ts, v, b) SELECT $1, t, v, b FROM unnest($2::float8[], $3::float8[], $4::boolean[]) AS u (t, v, b)
    ON CONFLICT (series_key, ts) DO UPDATE SET v = excluded.v, b = excluded.b`,
  lastChunk: 'SELECT last_ts, last_v, last_b FROM chunks WHERE series_key = $1 ORDER BY start_ts DESC LIMIT 1',
  lastHead: 'SELECT ts, v, b FROM head WHERE series_key = $1 ORDER BY ts DESC LIMIT 1',
  deleteAll: 'WITH c AS (DELETE FROM chunks WHERE series_key = $1) DELETE FROM head WHERE series_key = $1',
};

/** `ts` within the bounds, as SQL (the operators are constants; the bounds are $2 and $3). */
const within = (b: TimeBounds): string => `ts ${b.lowIncluded ? '>=' : '>'} $2 AND ts ${b.highIncluded ? '<=' : '<'} $3`;
const boundsName = (b: TimeBounds): string => `${b.lowIncluded ? 'i' : 'x'}${b.highIncluded ? 'i' : 'x'}`;

/**
 * The chunk logic's table on PostgreSQL: `chunks` (one row a chunk, its summary in columns, the
 * bytes in a bytea kept uncompressed out of line) and `head` (one row a point), on the connection
 * of the caller's transaction, for ONE series: the chunk `ref` is its start time, unique within a
 * series (chunks are disjoint), so the primary key `(series_key, start_ts)` is the only index and
 * every statement names the series first. Each method is one statement (`yield* awaitStep(…)`),
 * prepared once per connection.
 */
export class PostgresChunkTable implements ChunkTable<string> {
  constructor(
    private readonly client: PoolClient,
    /** The int8 key of the series, as decimal text. */
    private readonly key: string,
  ) {}

  private rows<R extends unknown[]>(name: string, text: string, values: unknown[]): Step<R[]> {
    return awaitStep(this.client.query<R>({ name, text, values, rowMode: 'array' }).then((r) => r.rows));
  }

  /** The key a method was called with must be this table's (a ref is only unique within a series). */
  private own(key: string): string {
    if (key !== this.key) throw new Error(`PostgresChunkTable for series key ${this.key} called for ${key}`);
    return key;
  }

  *chunksMeeting(key: string, from: number, to: number, limit: number): Step<ChunkMeta[]> {
    const rows = yield* this.rows<MetaRow>('tt_c_meeting', SQL.meeting, [this.own(key), pgNumber(from), pgNumber(to), limit]);
    return rows.map(([start, end, count]) => ({ ref: start, start, end, count }));
  }

  *chunksMeetingWithData(key: string, from: number, to: number, limit: number): Step<ChunkWithData[]> {
    const rows = yield* this.rows<DataRow>('tt_c_meeting_data', SQL.meetingWithData, [this.own(key), pgNumber(from), pgNumber(to), limit]);
    return rows.map(([start, end, count, data]) => ({ ref: start, start, end, count, data }));
  }

  *chunkBefore(key: string, time: number): Step<ChunkMeta | undefined> {
    const [row] = yield* this.rows<MetaRow>('tt_c_before', SQL.before, [this.own(key), pgNumber(time)]);
    return row && { ref: row[0], start: row[0], end: row[1], count: row[2] };
  }

  *chunkData(ref: number): Step<Uint8Array> {
    const [row] = yield* this.rows<[Buffer]>('tt_c_data', SQL.data, [this.key, pgNumber(ref)]);
    if (!row) throw new Error(`no chunk of series key ${this.key} starts at ${ref}`);
    return row[0];
  }

  *insertChunk(key: string, s: ChunkSummary, data: Uint8Array): Step<void> {
    yield* this.rows('tt_c_insert', SQL.insert, chunkRowParams(this.own(key), s, data));
  }

  *deleteChunks(refs: readonly number[]): Step<void> {
    if (refs.length === 0) return;
    yield* this.rows('tt_c_delete', SQL.delete, [this.key, `{${refs.map(copyNumber).join(',')}}`]);
  }

  *headIn(key: string, bounds: TimeBounds): Step<Columns> {
    const rows = yield* this.rows<PointRow>(
      `tt_h_in_${boundsName(bounds)}`,
      `SELECT ts, v, b FROM head WHERE series_key = $1 AND ${within(bounds)} ORDER BY ts`,
      [this.own(key), pgNumber(bounds.low), pgNumber(bounds.high)],
    );
    const times = new Float64Array(rows.length);
    const values = new Array<Point[1]>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      times[i] = row[0];
      values[i] = fromPgValue(row[1], row[2]);
    }
    return { times, values };
  }

  *deleteHeadIn(key: string, bounds: TimeBounds): Step<number> {
    const res = yield* awaitStep(
      this.client.query({
        name: `tt_h_delete_${boundsName(bounds)}`,
        text: `DELETE FROM head WHERE series_key = $1 AND ${within(bounds)}`,
        values: [this.own(key), pgNumber(bounds.low), pgNumber(bounds.high)],
      }),
    );
    return res.rowCount ?? 0;
  }

  *upsertHead(key: string, points: Columns): Step<void> {
    if (points.times.length === 0) return;
    yield* this.rows('tt_h_upsert', SQL.upsertHead, [this.own(key), ...pgPointArrays(points.times, points.values)]);
  }

  *lastChunkPoint(key: string): Step<Point | undefined> {
    const [row] = yield* this.rows<PointRow>('tt_c_last', SQL.lastChunk, [this.own(key)]);
    return row && [row[0], fromPgValue(row[1], row[2])];
  }

  *lastHeadPoint(key: string): Step<Point | undefined> {
    const [row] = yield* this.rows<PointRow>('tt_h_last', SQL.lastHead, [this.own(key)]);
    return row && [row[0], fromPgValue(row[1], row[2])];
  }

  *deleteAll(key: string): Step<void> {
    yield* this.rows('tt_delete_all', SQL.deleteAll, [this.own(key)]);
  }
}
