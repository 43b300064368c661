import type { Pool, PoolClient } from 'pg';
import type { Point, PointValue } from '../../../codec/Point.js';
import type { ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';
import { latestChunked } from '../chunks/latestChunked.js';
import { downsampleInSteps } from '../chunks/downsampleInSteps.js';
import type { DownsampleSpec } from '../../../codec/downsample/DownsampleSpec.js';
import { pageEndChunked } from '../chunks/pageEndChunked.js';
import { runStepAsync } from '../chunks/runStepAsync.js';
import { writeChunked } from '../chunks/writeChunked.js';
import { searchInBatches } from '../searchInBatches.js';
import type {
  KeyedSeriesWrite,
  LatestWithVersion,
  NewSeries,
  PointColumns,
  PointRange,
  PointWriter,
  SeriesHead,
  SeriesQuery,
  SeriesRecord,
  SeriesStore,
  SeriesSummary,
  StorageStats,
  WriteMode,
} from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { bumpVersion } from './bumpVersion.js';
import { checkPoint } from './checkPoint.js';
import { inTransaction } from './inTransaction.js';
import { holdsNul } from './holdsNul.js';
import { insertSeries } from './insertSeries.js';
import { noteHeadPoints } from './noteHeadPoints.js';
import { CHANGE_CHANNEL, type PgChangeChannel } from './PgChangeChannel.js';
import { PgCompactor } from './PgCompactor.js';
import type { PgDriver } from './pgDriver.js';
import { pgStorageStats } from './pgStorageStats.js';
import type { PgWriteContext } from './PgWriteContext.js';
import { PostgresChunkTable } from './PostgresChunkTable.js';
import { PostgresDownsampleTable } from './PostgresDownsampleTable.js';
import { PostgresPointWriter } from './PostgresPointWriter.js';
import { pgRecordKey, pgSeenKey } from './pgIdempotencyKeys.js';
import type { IdempotencyClaim, IdempotentOutcome } from '../IdempotencyClaim.js';
import { fromPgValue, pgNumber, toPgValue } from './pgValue.js';
import { READ_SNAPSHOT, readChunkedColumns } from './readChunkedColumns.js';
import { seriesKey } from './seriesKey.js';
import { keyedNamesPg, writeKeyedPg } from './writeKeyedPg.js';
import { toHead, toRecord, toSummary, type HeadRow, type SeriesRow, type SummaryRow } from '../seriesRows.js';
import { incrementRule } from '../incrementRule.js';
import { SERIES_COLUMNS, SUMMARY_COLUMNS } from './seriesColumns.js';

/** The last point of the last chunk and the last head point: the later is the series' latest. */
type LatestRow = [cts: number | null, cv: number | null, cb: boolean | null, hts: number | null, hv: number | null, hb: boolean | null];

const LATEST_LATERALS = `LEFT JOIN LATERAL (SELECT last_ts, last_v, last_b FROM chunks WHERE series_key = $KEY ORDER BY start_ts DESC LIMIT 1) c ON true
  LEFT JOIN LATERAL (SELECT ts, v, b FROM head WHERE series_key = $KEY ORDER BY ts DESC LIMIT 1) h ON true`;

function latestOf(row: LatestRow): Point | undefined {
  const [cts, cv, cb, hts, hv, hb] = row;
  if (hts !== null && (cts === null || hts > cts)) return [hts, fromPgValue(hv, hb)];
  return cts === null ? undefined : [cts, fromPgValue(cv, cb)];
}

/** What the series half needs beyond the pool and the change channel. */
export interface PostgresSeriesOptions {
  chunks: Required<ChunkStoreOptions>;
  stagedRunPoints: number;
}

/**
 * The series half of the PostgreSQL store; see openPostgresStore. Points are in `chunks` and
 * `head` (see pgMigrations), written and read through the shared chunk logic on a
 * {@link PostgresChunkTable} per transaction. Every write to a series takes its row lock first;
 * reads take no lock (a REPEATABLE READ snapshot per step, or one statement).
 */
export class PostgresSeriesStore implements SeriesStore {
  private readonly compactor: PgCompactor;
  private readonly writes: PgWriteContext;
  private readonly chunks: Required<ChunkStoreOptions>;

  constructor(
    private readonly pool: Pool,
    private readonly changes: PgChangeChannel,
    driver: PgDriver,
    options: PostgresSeriesOptions,
  ) {
    this.chunks = options.chunks;
    this.compactor = new PgCompactor(pool, options.chunks);
    this.writes = {
      pool,
      changes,
      copyFrom: driver.copyFrom,
      chunks: options.chunks,
      stagedRunPoints: options.stagedRunPoints,
      headWritten: (id, headPoints) => this.headWritten(id, headPoints),
    };
  }

  private headWritten(id: string, headPoints: number): void {
    if (headPoints >= this.chunks.compactHeadAt) this.compactor.request(id, true);
  }

  async createSeries(series: NewSeries): Promise<SeriesRecord> {
    return insertSeries(this.pool, series);
  }

  async getSeries(id: string): Promise<SeriesRecord | undefined> {
    const res = await this.pool.query<SeriesRow>({ name: 'tt_get_series', text: `SELECT ${SERIES_COLUMNS} FROM series WHERE id = $1`, values: [id] });
    const row = res.rows[0];
    return row && toRecord(row);
  }

  /** Only narrow columns: the large metadata values live TOASTed outside the row and stay unread. */
  async getSeriesHead(id: string): Promise<SeriesHead | undefined> {
    const res = await this.pool.query<HeadRow>({ name: 'tt_get_head', text: 'SELECT id, owner_id, public, version FROM series WHERE id = $1', values: [id] });
    const row = res.rows[0];
    return row && toHead(row);
  }

  async latestWithVersion(id: string): Promise<LatestWithVersion | undefined> {
    // One statement, one snapshot: the version and the point agree, and a compaction moving the
    // point from the head into a chunk is seen whole or not at all.
    const res = await this.pool.query<[string, ...LatestRow]>({
      name: 'tt_latest_version2',
      text: `SELECT s.version, c.last_ts, c.last_v, c.last_b, h.ts, h.v, h.b FROM series s ${LATEST_LATERALS.replaceAll('$KEY', '$2')} WHERE s.id = $1`,
      values: [id, seriesKey(id)],
      rowMode: 'array',
    });
    const row = res.rows[0];
    if (!row) return undefined;
    const [version, ...latest] = row;
    return { version: Number(version), latest: latestOf(latest) };
  }

  async latest(id: string): Promise<Point | undefined> {
    const res = await this.pool.query<LatestRow>({
      name: 'tt_latest2',
      text: `SELECT c.last_ts, c.last_v, c.last_b, h.ts, h.v, h.b FROM (SELECT 1) one ${LATEST_LATERALS.replaceAll('$KEY', '$1')}`,
      values: [seriesKey(id)],
      rowMode: 'array',
    });
    return latestOf(res.rows[0]!);
  }

  async deleteSeries(id: string): Promise<boolean> {
    const deleted = await inTransaction(this.pool, async (client) => {
      // The series row first: a concurrent writer waits on its lock, then finds it gone.
      const res = await client.query('DELETE FROM series WHERE id = $1', [id]);
      if (res.rowCount === 0) return false;
      const key = seriesKey(id);
      await runStepAsync(new PostgresChunkTable(client, key).deleteAll(key));
      await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, this.changes.payloadFor(id)]);
      return true;
    });
    if (deleted) this.changes.emitLocal(id);
    return deleted;
  }

  searchSeries(query: SeriesQuery): Promise<SeriesSummary[]> {
    const where = ['(public OR owner_id = $1)', '(created_at, id) > ($2, $3)'];
    if (query.user) where.push('owner_id = (SELECT id FROM users WHERE name = $5)');
    // No extra fields (what search lists does not show them), and the text and tags are matched
    // by the shared linear rule, not ILIKE (O(text × q)).
    const text = `SELECT ${SUMMARY_COLUMNS} FROM series WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $4`;
    // No user name holds NUL (PostgreSQL text cannot), so nobody's series match.
    if (query.user !== undefined && holdsNul(query.user)) return Promise.resolve([]);
    return searchInBatches(query, async (after, size) => {
      const args: unknown[] = [query.viewerId ?? -1, after?.createdAt ?? Number.NEGATIVE_INFINITY, after?.id ?? '', size];
      if (query.user) args.push(query.user);
      const res = await this.pool.query<SummaryRow>(text, args);
      return res.rows.map(toSummary);
    });
  }

  async *readPoints(id: string, range: PointRange, chunkSize = 10_000): AsyncIterable<Point[]> {
    for await (const { times, values } of this.readPointColumns(id, range, chunkSize)) {
      const points = new Array<Point>(times.length);
      for (let i = 0; i < times.length; i++) points[i] = [times[i]!, values[i]!];
      yield points;
    }
  }

  readPointColumns(id: string, range: PointRange, chunkSize = 10_000): AsyncIterable<PointColumns> {
    return readChunkedColumns(this.pool, seriesKey(id), range, chunkSize, this.chunks.chunksPerStep);
  }

  pageEnd(id: string, range: PointRange, limit: number): Promise<number | undefined> {
    const key = seriesKey(id);
    // At most limit + 1 points' worth of chunks, in one snapshot.
    return inTransaction(this.pool, (client) => runStepAsync(pageEndChunked(new PostgresChunkTable(client, key), key, range, limit, this.chunks.chunksPerStep)), READ_SNAPSHOT);
  }

  /** Each step of the shared downsampled read in its own REPEATABLE READ transaction. */
  downsample(id: string, spec: DownsampleSpec): AsyncIterable<Point[]> {
    const key = seriesKey(id);
    return downsampleInSteps(
      spec,
      (make) => inTransaction(this.pool, (client) => runStepAsync(make(new PostgresDownsampleTable(client, key), key)), READ_SNAPSHOT),
      this.chunks.chunksPerStep,
    );
  }

  async appendValue(id: string, time: number, value: PointValue): Promise<{ point: Point; version: number }> {
    checkPoint(time, value);
    const [v, b] = toPgValue(value);
    // The common case, a point after (or between) the chunks, is one round trip: timetric_append
    // bumps the version (taking the lock), checks the chunks and writes the head point (pg-003).
    let version: number;
    try {
      const res = await this.pool.query<[string, number]>({
        name: 'tt_append3',
        text: 'SELECT o_version, o_head FROM timetric_append($1, $2, $3, $4, $5, $6)',
        values: [id, seriesKey(id), pgNumber(time), pgNumber(v), b, this.changes.payloadFor(id)],
        rowMode: 'array',
      });
      const row = res.rows[0];
      if (!row) throw new StoreConflictError(`series ${id} does not exist`);
      version = Number(row[0]);
      this.headWritten(id, row[1]);
    } catch (err) {
      if ((err as { code?: string }).code !== 'TT001') throw err;
      // The time lies inside a chunk (nothing was written): rewrite that chunk, in a transaction.
      version = await this.writeOne(id, time, value);
    }
    this.changes.emitLocal(id);
    return { point: [time, value], version };
  }

  /** Writes one point in a transaction of its own (it may rewrite a chunk); returns the version. */
  private async writeOne(id: string, time: number, value: PointValue): Promise<number> {
    let headPoints = 0;
    const version = await inTransaction(this.pool, async (client) => {
      const bumped = await bumpVersion(client, id);
      if (bumped === undefined) throw new StoreConflictError(`series ${id} does not exist`);
      headPoints = await this.putPoint(client, id, time, value);
      await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, this.changes.payloadFor(id)]);
      return bumped;
    });
    if (headPoints > 0) this.headWritten(id, headPoints);
    return version;
  }

  /** Writes one point inside the caller's transaction (series locked); returns the head count when it went to the head, else 0. */
  private async putPoint(client: PoolClient, id: string, time: number, value: PointValue): Promise<number> {
    const key = seriesKey(id);
    const where = await runStepAsync(writeChunked(new PostgresChunkTable(client, key), key, { times: [time], values: [value] }, this.chunks));
    return where === 'head' ? noteHeadPoints(client, id, 1) : 0;
  }

  async increment(id: string, time: number, delta: number): Promise<{ point: Point; version: number }> {
    const outcome = await this.incrementWith(id, time, delta, undefined);
    if (outcome.kind !== 'applied') throw new Error('unreachable: an increment without a key was not applied');
    return outcome;
  }

  /** `increment` at most once per key (issue 14): looked up under the series' row lock and recorded in the same transaction. */
  incrementOnce(id: string, time: number, delta: number, claim: IdempotencyClaim): Promise<IdempotentOutcome> {
    return this.incrementWith(id, time, delta, claim);
  }

  private async incrementWith(id: string, time: number, delta: number, claim: IdempotencyClaim | undefined): Promise<IdempotentOutcome> {
    checkPoint(time, delta);
    let headPoints = 0;
    let seen: IdempotentOutcome | undefined;
    const result = await inTransaction(this.pool, async (client) => {
      // The row lock taken by the bump makes concurrent increments of one series queue up; under
      // READ COMMITTED the next statement then sees the value the previous increment committed.
      const version = await bumpVersion(client, id);
      if (version === undefined) throw new StoreConflictError(`series ${id} does not exist`);
      if (claim) {
        const row = await pgSeenKey(client, id, claim);
        if (row) {
          seen = row.fingerprint === claim.fingerprint ? { kind: 'repeated', status: row.status } : { kind: 'mismatch' };
          // Roll back: the bump is undone, nothing applied.
          throw new StoreConflictError('idempotency key seen before');
        }
      }
      const key = seriesKey(id);
      const latest = await runStepAsync(latestChunked(new PostgresChunkTable(client, key), key));
      const value = incrementRule.value(id, latest?.[1], delta);
      const at = incrementRule.time(latest?.[0], time);
      headPoints = await this.putPoint(client, id, at, value);
      if (claim) await pgRecordKey(client, id, claim, 204);
      await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, this.changes.payloadFor(id)]);
      return { kind: 'applied' as const, point: [at, value] as const, version };
    }).catch((err: unknown) => {
      if (seen) return seen;
      throw err;
    });
    if (result.kind === 'applied') {
      this.changes.emitLocal(id);
      if (headPoints > 0) this.headWritten(id, headPoints);
    }
    return result;
  }

  writeKeyed(ownerId: number, writes: readonly KeyedSeriesWrite[], maxKeyedSeries: number): Promise<{ created: number; points: number }> {
    return writeKeyedPg(this.writes, ownerId, writes, maxKeyedSeries);
  }

  keyedNames(ownerId: number, database?: string): Promise<string[]> {
    return keyedNamesPg(this.writes, ownerId, database);
  }

  openWriter(id: string, mode: WriteMode, create?: NewSeries): Promise<PointWriter> {
    return Promise.resolve(new PostgresPointWriter(this.writes, id, mode, create));
  }

  onChange(listener: (seriesId: string) => void): () => void {
    return this.changes.subscribe(listener);
  }

  compact(id?: string): Promise<void> {
    return this.compactor.compactNow(id);
  }

  storageStats(id?: string): Promise<StorageStats> {
    return pgStorageStats(this.pool, id);
  }

  /** Stops background compaction (waits for one in progress). */
  close(): Promise<void> {
    return this.compactor.close();
  }
}
