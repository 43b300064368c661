import type { Database, Statement } from 'better-sqlite3';
import type { Point } from '../../../codec/Point.js';
import type { ChunkSummary } from '../../../codec/chunk/ChunkSummary.js';
import type { ChunkMeta, ChunkWithData } from '../chunks/ChunkMeta.js';
import type { ChunkTable, TimeBounds } from '../chunks/ChunkTable.js';
import type { Columns } from '../chunks/Columns.js';
import { doneStep, type Step } from '../chunks/Step.js';
import { fromSqliteValue, toSqliteValue, type SqliteValue } from './sqliteValue.js';

type MetaRow = [ref: number, start: number, end: number, count: number];
type DataRow = [ref: number, start: number, end: number, count: number, data: Uint8Array];

const META = 'id, start_ts, end_ts, count';
const toMeta = (r: MetaRow): ChunkMeta => ({ ref: r[0], start: r[1], end: r[2], count: r[3] });
const toData = (r: DataRow): ChunkWithData => ({ ref: r[0], start: r[1], end: r[2], count: r[3], data: r[4] });

/** `ts` conditions for the four ways a {@link TimeBounds} includes its ends, indexed low·2 + high. */
const BOUNDS = ['ts > ? AND ts < ?', 'ts > ? AND ts <= ?', 'ts >= ? AND ts < ?', 'ts >= ? AND ts <= ?'];
const which = (b: TimeBounds): number => (b.lowIncluded ? 2 : 0) + (b.highIncluded ? 1 : 0);

/**
 * The SQL of the shared chunk logic on SQLite (tables `chunks` and `head` of series-003), with
 * prepared statements; every method answers at once ({@link doneStep}), so a whole write runs in
 * one synchronous better-sqlite3 transaction. Chunks are found by index range scans on
 * `(series_key, start_ts)`, never by scanning a series' chunks.
 */
export class SqliteChunkTable implements ChunkTable<number> {
  private readonly q: {
    before: Statement<[number, number], MetaRow>;
    beforeData: Statement<[number, number], DataRow>;
    from: Statement<[number, number, number, number], MetaRow>;
    fromData: Statement<[number, number, number, number], DataRow>;
    data: Statement<[number], Uint8Array>;
    insert: Statement<unknown[]>;
    deleteChunk: Statement<[number]>;
    headIn: Statement<[number, number, number], [number, SqliteValue]>[];
    deleteHeadIn: Statement<[number, number, number]>[];
    upsertHead: Statement<[number, number, SqliteValue]>;
    lastChunk: Statement<[number], [number, SqliteValue]>;
    lastHead: Statement<[number], [number, SqliteValue]>;
    deleteChunks: Statement<[number]>;
    deleteHead: Statement<[number]>;
  };

  constructor(db: Database) {
    const before = (columns: string) =>
      db.prepare(`SELECT ${columns} FROM chunks WHERE series_key = ? AND start_ts < ? ORDER BY start_ts DESC LIMIT 1`).raw();
    const from = (columns: string) =>
      db.prepare(`SELECT ${columns} FROM chunks WHERE series_key = ? AND start_ts >= ? AND start_ts <= ? ORDER BY start_ts LIMIT ?`).raw();
    this.q = {
      before: before(META) as Statement<[number, number], MetaRow>,
      beforeData: before(`${META}, data`) as Statement<[number, number], DataRow>,
      from: from(META) as Statement<[number, number, number, number], MetaRow>,
      fromData: from(`${META}, data`) as Statement<[number, number, number, number], DataRow>,
      data: db.prepare<[number], Uint8Array>('SELECT data FROM chunks WHERE id = ?').pluck(),
      insert: db.prepare(
        `INSERT INTO chunks (series_key, start_ts, end_ts, count, min, max, sum, numbers, min_ts, max_ts, first_ts, first_v, last_ts, last_v, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deleteChunk: db.prepare('DELETE FROM chunks WHERE id = ?'),
      headIn: BOUNDS.map((b) => db.prepare<[number, number, number], [number, SqliteValue]>(`SELECT ts, v FROM head WHERE series_key = ? AND ${b} ORDER BY ts`).raw()),
      deleteHeadIn: BOUNDS.map((b) => db.prepare<[number, number, number]>(`DELETE FROM head WHERE series_key = ? AND ${b}`)),
      upsertHead: db.prepare('INSERT INTO head (series_key, ts, v) VALUES (?, ?, ?) ON CONFLICT (series_key, ts) DO UPDATE SET v = excluded.v'),
      lastChunk: db.prepare<[number], [number, SqliteValue]>('SELECT last_ts, last_v FROM chunks WHERE series_key = ? ORDER BY start_ts DESC LIMIT 1').raw(),
      lastHead: db.prepare<[number], [number, SqliteValue]>('SELECT ts, v FROM head WHERE series_key = ? ORDER BY ts DESC LIMIT 1').raw(),
      deleteChunks: db.prepare('DELETE FROM chunks WHERE series_key = ?'),
      deleteHead: db.prepare('DELETE FROM head WHERE series_key = ?'),
    };
  }

  /** The chunk starting before `from` if it reaches it, then those starting in `[from, to]`: two index seeks. */
  private meeting<R extends MetaRow | DataRow>(
    before: Statement<[number, number], R>,
    after: Statement<[number, number, number, number], R>,
    key: number,
    from: number,
    to: number,
    limit: number,
  ): R[] {
    if (limit <= 0 || to < from) return [];
    const b = before.get(key, from);
    const first = b !== undefined && b[2] >= from ? [b] : [];
    const rest = after.all(key, from, to, limit - first.length);
    return first.length ? [...first, ...rest] : rest;
  }

  chunksMeeting(key: number, from: number, to: number, limit: number): Step<ChunkMeta[]> {
    return doneStep(this.meeting(this.q.before, this.q.from, key, from, to, limit).map(toMeta));
  }

  chunksMeetingWithData(key: number, from: number, to: number, limit: number): Step<ChunkWithData[]> {
    return doneStep(this.meeting(this.q.beforeData, this.q.fromData, key, from, to, limit).map(toData));
  }

  chunkBefore(key: number, time: number): Step<ChunkMeta | undefined> {
    const r = this.q.before.get(key, time);
    return doneStep(r && toMeta(r));
  }

  chunkData(ref: number): Step<Uint8Array> {
    const data = this.q.data.get(ref);
    if (data === undefined) throw new Error(`chunk ${ref} is gone`);
    return doneStep(data);
  }

  insertChunk(key: number, s: ChunkSummary, data: Uint8Array): Step<void> {
    this.q.insert.run(key, s.start, s.end, s.count, s.min, s.max, s.sum, s.numbers, s.minTime, s.maxTime, s.first[0], toSqliteValue(s.first[1]), s.last[0], toSqliteValue(s.last[1]), data);
    return doneStep(undefined);
  }

  deleteChunks(refs: readonly number[]): Step<void> {
    for (const ref of refs) this.q.deleteChunk.run(ref);
    return doneStep(undefined);
  }

  headIn(key: number, bounds: TimeBounds): Step<Columns> {
    const rows = this.q.headIn[which(bounds)]!.all(key, bounds.low, bounds.high);
    const times = new Float64Array(rows.length);
    const values = new Array<Point[1]>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      times[i] = rows[i]![0];
      values[i] = fromSqliteValue(rows[i]![1]);
    }
    return doneStep({ times, values });
  }

  deleteHeadIn(key: number, bounds: TimeBounds): Step<number> {
    return doneStep(this.q.deleteHeadIn[which(bounds)]!.run(key, bounds.low, bounds.high).changes);
  }

  upsertHead(key: number, points: Columns): Step<void> {
    for (let i = 0; i < points.times.length; i++) this.q.upsertHead.run(key, points.times[i]!, toSqliteValue(points.values[i]!));
    return doneStep(undefined);
  }

  lastChunkPoint(key: number): Step<Point | undefined> {
    const r = this.q.lastChunk.get(key);
    return doneStep(r && ([r[0], fromSqliteValue(r[1])] as const));
  }

  lastHeadPoint(key: number): Step<Point | undefined> {
    const r = this.q.lastHead.get(key);
    return doneStep(r && ([r[0], fromSqliteValue(r[1])] as const));
  }

  deleteAll(key: number): Step<void> {
    this.q.deleteChunks.run(key);
    this.q.deleteHead.run(key);
    return doneStep(undefined);
  }
}
