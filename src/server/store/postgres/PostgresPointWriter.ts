import { once } from 'node:events';
import type { PoolClient } from 'pg';
import type { from as copyFromFn } from 'pg-copy-streams';
import type { Point, PointValue } from '../../../codec/Point.js';
import { decodeChunk } from '../../../codec/chunk/decodeChunk.js';
import { encodeChunk } from '../../../codec/chunk/encodeChunk.js';
import { summarizeChunk } from '../../../codec/chunk/summarizeChunk.js';
import { ChunkWriter } from '../chunks/ChunkWriter.js';
import { chunkCut } from '../chunks/chunkCut.js';
import type { Columns } from '../chunks/Columns.js';
import { mergeColumns } from '../chunks/mergeColumns.js';
import { runStepAsync } from '../chunks/runStepAsync.js';
import { writeChunked } from '../chunks/writeChunked.js';
import type { NewSeries, PointWriter, WriteMode } from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { bumpVersion } from './bumpVersion.js';
import { checkPoint } from './checkPoint.js';
import { insertSeries } from './insertSeries.js';
import { noteHeadPoints } from './noteHeadPoints.js';
import { CHANGE_CHANNEL } from './PgChangeChannel.js';
import type { PgWriteContext } from './PgWriteContext.js';
import { PostgresChunkTable } from './PostgresChunkTable.js';
import { CHUNK_COLUMNS, CHUNK_ROW_PLACEHOLDERS, chunkRowParams } from './chunkRowParams.js';
import { copyNumber, fromPgValue, pgNumber } from './pgValue.js';
import { seriesKey } from './seriesKey.js';
import { sortUniquePoints } from './sortUniquePoints.js';

type CopyStream = ReturnType<typeof copyFromFn>;


/** Staged chunks decoded per query when a staged run must be merged with stored points. */
const STAGED_CHUNKS_PER_PAGE = 8;

function copyLine(seq: number, t: number, value: Point[1]): string {
  const v = typeof value === 'number' ? copyNumber(value) : '\\N';
  const b = value === true ? 't' : value === false ? 'f' : '\\N';
  return `${seq}\t${copyNumber(t)}\t${v}\t${b}\n`;
}

/**
 * A staged write: nothing is visible before `commit()`, which applies everything in one
 * transaction on one pooled connection (a crash or `abort()` before its COMMIT applies nothing).
 * Memory stays bounded (about three chunks of points) however much is staged:
 *
 * - While times arrive ascending they are cut into chunks as they come (a sorted bulk upload is
 *   encoded straight into chunks): each full chunk goes, encoded with its summary, into a temporary
 *   table of the transaction; two chunks' worth stays in memory, so the last chunk is never a sliver.
 * - The first time that is not after the one before ends that run. It and everything after it is
 *   kept in memory up to `chunkPoints` points, then streamed with `COPY … FROM STDIN` (with
 *   back-pressure) into a temporary staging table, `seq` recording the arrival order.
 *
 * `commit()` takes the series' row lock first (the version bump; `/create/` inserts the series
 * first), empties the series for `replace`, then writes the ascending run — the staged chunks with
 * one `INSERT … SELECT` when no stored point lies within its span, else decoded and merged by the
 * shared {@link ChunkWriter} into the chunks it touches — and then the later points, sorted with
 * the last arrival winning at equal times (read back in runs of `stagedRunPoints` from a cursor over
 * `DISTINCT ON (ts) … ORDER BY ts, seq DESC`) and merged the same way, their values winning. A short
 * write meeting no chunk lands in the head instead ({@link writeChunked}).
 *
 * `abort()` cancels a running COPY (CopyFail) and rolls back. The connection goes back to the pool
 * on every path (destroyed when it is unusable).
 */
export class PostgresPointWriter implements PointWriter {
  private client: PoolClient | undefined;
  private copy: CopyStream | undefined;
  private copyError: Error | undefined;
  private readonly key: string;
  private readonly chunkPoints: number;
  /** Points staged in all (the count `commit()` reports). */
  private count = 0;
  /** The ascending run's points not yet in a staged chunk: at most two chunks' worth. */
  private readonly runTimes: Float64Array;
  private readonly runValues: PointValue[];
  private runLength = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  /** Chunks of the ascending run in the temporary `timetric_chunk_staging`. */
  private stagedChunks = 0;
  private firstStagedTs = 0;
  /** False from the first time that is not after the one before: the rest are "late" points. */
  private ascending = true;
  /** Late points in memory, in arrival order, until there are more than `chunkPoints`. */
  private late: Point[] = [];
  /** Late points sent to the staging table (their `seq` is their arrival order). */
  private lateStaged = 0;
  private done = false;
  /** Serialises stage/commit/abort: each waits for the previous call to settle. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: PgWriteContext,
    private readonly id: string,
    private readonly mode: WriteMode,
    private readonly create: NewSeries | undefined,
  ) {
    this.key = seriesKey(id);
    this.chunkPoints = ctx.chunks.chunkPoints;
    this.runTimes = new Float64Array(2 * this.chunkPoints);
    this.runValues = new Array<PointValue>(2 * this.chunkPoints);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async begin(): Promise<PoolClient> {
    if (this.client) return this.client;
    const client = await this.ctx.pool.connect();
    this.client = client;
    await client.query('BEGIN');
    return client;
  }

  /** Stages points; a failure (a non-finite time or value, a broken connection) aborts the write. */
  stage(points: readonly Point[]): Promise<void> {
    if (this.done) return Promise.reject(new Error('stage() after commit() or abort()'));
    if (points.length === 0) return Promise.resolve();
    return this.enqueue(async () => {
      if (this.done) throw new Error('stage() after commit() or abort()');
      try {
        await this.stageNow(points);
      } catch (err) {
        this.done = true;
        await this.rollback();
        throw err;
      }
    });
  }

  private async stageNow(points: readonly Point[]): Promise<void> {
    for (const [t, value] of points) checkPoint(t, value);
    const n = points.length;
    let i = 0;
    if (this.ascending) {
      const full = this.runTimes.length;
      for (; i < n; i++) {
        const [t, value] = points[i]!;
        if (t <= this.lastTs) {
          this.ascending = false;
          break;
        }
        this.lastTs = t;
        this.runTimes[this.runLength] = t;
        this.runValues[this.runLength++] = value;
        if (this.runLength === full) await this.stageChunk();
      }
    }
    this.count += n;
    if (i === n) return;
    if (this.lateStaged === 0) {
      for (; i < n; i++) this.late.push(points[i]!);
      if (this.late.length <= this.chunkPoints) return;
      await this.startLateStaging();
      await this.copyLate(this.late);
      this.late = [];
    } else {
      await this.copyLate(i === 0 ? points : points.slice(i));
    }
  }

  /** Encodes the run's first chunk (up to `chunkPoints` points, cut as `chunkCut` says) into a staged chunk; keeps the rest. */
  private async stageChunk(): Promise<void> {
    const client = await this.begin();
    if (this.stagedChunks === 0) {
      // Indexes included: the primary key pages the staged chunks in time order at commit.
      await client.query('CREATE TEMP TABLE timetric_chunk_staging (LIKE chunks INCLUDING STORAGE INCLUDING INDEXES) ON COMMIT DROP');
      this.firstStagedTs = this.runTimes[0]!;
    }
    const size = chunkCut(this.runTimes, 0, this.runLength, this.ctx.chunks).end;
    const times = this.runTimes.subarray(0, size);
    const values = this.runValues.slice(0, size);
    const s = summarizeChunk(times, values);
    const data = encodeChunk(times, values);
    // Not a named statement: the temporary table is a new one in every transaction.
    await client.query(
      `INSERT INTO timetric_chunk_staging (${CHUNK_COLUMNS}) VALUES (${CHUNK_ROW_PLACEHOLDERS})`,
      chunkRowParams(this.key, s, data),
    );
    this.stagedChunks++;
    this.runTimes.copyWithin(0, size, this.runLength);
    for (let k = size; k < this.runLength; k++) this.runValues[k - size] = this.runValues[k]!;
    this.runLength -= size;
  }

  private async startLateStaging(): Promise<void> {
    const client = await this.begin();
    await client.query('CREATE TEMP TABLE timetric_staging (seq bigint NOT NULL, ts float8 NOT NULL, v float8, b boolean) ON COMMIT DROP');
    const copy = client.query(this.ctx.copyFrom('COPY timetric_staging (seq, ts, v, b) FROM STDIN'));
    copy.on('error', (err: Error) => {
      this.copyError ??= err;
    });
    this.copy = copy;
  }

  private async copyLate(points: readonly Point[]): Promise<void> {
    let text = '';
    for (const [t, value] of points) text += copyLine(this.lateStaged++, t, value);
    await this.write(text);
  }

  /** Ends the running COPY and waits until the server has taken all of it. */
  private async endCopy(): Promise<void> {
    const copy = this.copy;
    this.copy = undefined;
    if (!copy) return;
    if (this.copyError) throw this.copyError;
    copy.end();
    await once(copy, 'finish');
  }

  private async write(text: string): Promise<void> {
    const copy = this.copy!;
    if (this.copyError) throw this.copyError;
    if (copy.write(text)) return;
    await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        copy.off('error', onError);
        resolve();
      };
      const onError = (err: Error): void => {
        copy.off('drain', onDrain);
        reject(err);
      };
      copy.once('drain', onDrain);
      copy.once('error', onError);
    });
  }

  commit(): Promise<{ points: number; version: number; replaced: number }> {
    if (this.done) return Promise.reject(new Error('commit() after commit() or abort()'));
    this.done = true;
    return this.enqueue(async () => {
      try {
        const client = await this.begin();
        await this.endCopy();
        if (this.create) await insertSeries(client, this.create);
        const version = await bumpVersion(client, this.id);
        if (version === undefined) throw new StoreConflictError(`series ${this.id} no longer exists`);
        const table = new PostgresChunkTable(client, this.key);
        const empty = this.create !== undefined || this.mode === 'replace';
        if (this.mode === 'replace' && !this.create) await runStepAsync(table.deleteAll(this.key));
        const tally = { replaced: 0 };
        const inHead = await this.apply(client, table, empty, tally);
        const headPoints = inHead > 0 ? await noteHeadPoints(client, this.id, inHead) : 0;
        await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, this.ctx.changes.payloadFor(this.id)]);
        await client.query('COMMIT');
        this.release(false);
        this.ctx.changes.emitLocal(this.id);
        if (inHead > 0) this.ctx.headWritten(this.id, headPoints);
        return { points: this.count, version, replaced: tally.replaced };
      } catch (err) {
        await this.rollback();
        throw err;
      }
    });
  }

  /** Writes everything staged into the series (locked); returns how many points went into the head. */
  private async apply(client: PoolClient, table: PostgresChunkTable, empty: boolean, tally: { replaced: number }): Promise<number> {
    const o = this.ctx.chunks;
    let inHead = 0;
    const write = async (run: Columns): Promise<void> => {
      if ((await runStepAsync(writeChunked(table, this.key, run, o, tally))) === 'head') inHead += run.times.length;
    };
    let run: Columns = { times: this.runTimes.subarray(0, this.runLength), values: this.runValues.slice(0, this.runLength) };
    if (this.stagedChunks > 0) {
      tally.replaced += await this.applyStagedChunks(client, table, run, empty);
    } else {
      // A short write: everything is in memory, so it is one run (and may land in the head).
      if (this.lateStaged === 0 && this.late.length > 0) {
        // Points of this write at one time collapse into one (the last wins): counted as replaced.
        const late = sortUniquePoints(this.late);
        const merged = mergeColumns(run, late);
        tally.replaced += this.late.length - merged.times.length + run.times.length;
        run = merged;
        this.late = [];
      }
      if (run.times.length > 0) await write(run);
    }
    if (this.late.length > 0) {
      const late = sortUniquePoints(this.late);
      tally.replaced += this.late.length - late.times.length;
      await write(late);
    }
    if (this.lateStaged > 0) tally.replaced += await this.applyLateStaging(client, table);
    return inHead;
  }

  /** The ascending run: staged chunks, then `rest` (one to two chunks' worth, still in memory). */
  private async applyStagedChunks(client: PoolClient, table: PostgresChunkTable, rest: Columns, empty: boolean): Promise<number> {
    const o = this.ctx.chunks;
    const from = this.firstStagedTs;
    const to = this.lastTs;
    const overlaps =
      !empty &&
      ((await runStepAsync(table.chunksMeeting(this.key, from, to, 1))).length > 0 ||
        ((await client.query({
          name: 'tt_head_any',
          text: 'SELECT 1 FROM head WHERE series_key = $1 AND ts >= $2 AND ts <= $3 LIMIT 1',
          values: [this.key, pgNumber(from), pgNumber(to)],
        })).rowCount ?? 0) > 0);
    const writer = new ChunkWriter(table, this.key, o);
    if (!overlaps) {
      // Nothing stored within the run's span: its chunks go in as they are, server-side.
      await client.query(`INSERT INTO chunks (${CHUNK_COLUMNS}) SELECT ${CHUNK_COLUMNS} FROM timetric_chunk_staging`);
    } else {
      let after = Number.NEGATIVE_INFINITY;
      for (;;) {
        const page = await client.query<[number, Buffer]>({
          text: 'SELECT start_ts, data FROM timetric_chunk_staging WHERE start_ts > $1 ORDER BY start_ts LIMIT $2',
          values: [pgNumber(after), STAGED_CHUNKS_PER_PAGE],
          rowMode: 'array',
        });
        for (const [start, data] of page.rows) {
          await runStepAsync(writer.add(decodeChunk(data)));
          after = start;
        }
        if (page.rows.length < STAGED_CHUNKS_PER_PAGE) break;
      }
    }
    await runStepAsync(writer.add(rest));
    await runStepAsync(writer.finish());
    return writer.replaced;
  }

  /** The late points from the staging table, sorted, last arrival winning, in runs of `stagedRunPoints`. */
  private async applyLateStaging(client: PoolClient, table: PostgresChunkTable): Promise<number> {
    await client.query("SET LOCAL work_mem = '64MB'");
    await client.query('DECLARE timetric_late NO SCROLL CURSOR FOR SELECT DISTINCT ON (ts) ts, v, b FROM timetric_staging ORDER BY ts, seq DESC');
    const writer = new ChunkWriter(table, this.key, this.ctx.chunks);
    let fetched = 0;
    for (;;) {
      const page = await client.query<[number, number | null, boolean | null]>({
        text: `FETCH ${this.ctx.stagedRunPoints} FROM timetric_late`,
        rowMode: 'array',
      });
      const rows = page.rows;
      fetched += rows.length;
      if (rows.length === 0) break;
      const times = new Float64Array(rows.length);
      const values = new Array<PointValue>(rows.length);
      for (let k = 0; k < rows.length; k++) {
        const row = rows[k]!;
        times[k] = row[0];
        values[k] = fromPgValue(row[1], row[2]);
      }
      await runStepAsync(writer.add({ times, values }));
      if (rows.length < this.ctx.stagedRunPoints) break;
    }
    await client.query('CLOSE timetric_late');
    await runStepAsync(writer.finish());
    // DISTINCT ON kept one point a time: the others replaced it.
    return writer.replaced + (this.lateStaged - fetched);
  }

  abort(): Promise<void> {
    if (this.done) return this.queue.then(() => undefined);
    this.done = true;
    return this.enqueue(() => this.rollback());
  }

  /** Cancels a running COPY, rolls back and releases; never throws. */
  private async rollback(): Promise<void> {
    this.late = [];
    const client = this.client;
    if (!client) return;
    let broken = false;
    const copy = this.copy;
    this.copy = undefined;
    if (copy && !copy.destroyed) {
      // pg-copy-streams answers destroy() with CopyFail; the server then fails the COPY.
      const settled = once(copy, 'close').catch(() => undefined);
      copy.destroy(new Error('staged write aborted'));
      await settled;
    }
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    this.release(broken);
  }

  private release(broken: boolean): void {
    const client = this.client;
    this.client = undefined;
    client?.release(broken);
  }
}
