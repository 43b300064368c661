import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Point, PointValue } from '../../../codec/Point.js';
import type { Columns } from '../chunks/Columns.js';
import { compactHead } from '../chunks/compactHead.js';
import { downsampleInSteps, type RunDownsampleStep } from '../chunks/downsampleInSteps.js';
import type { DownsampleSpec } from '../../../codec/downsample/DownsampleSpec.js';
import { DEFAULT_CHUNK_STORE_OPTIONS, type ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';
import { latestChunked } from '../chunks/latestChunked.js';
import { pageEndChunked } from '../chunks/pageEndChunked.js';
import { readChunkedStep, type ReadCursor } from '../chunks/readChunkedStep.js';
import { runStepSync } from '../chunks/runStepSync.js';
import { incrementRule } from '../incrementRule.js';
import { searchInBatches } from '../searchInBatches.js';
import { toHead, toRecord, toSummary, type HeadRow, type SeriesRow, type SummaryRow } from '../seriesRows.js';
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
import { SeriesCapError } from '../SeriesCapError.js';
import { StoreConflictError } from '../StoreConflictError.js';
import type { IdempotencyClaim, IdempotentOutcome } from '../IdempotencyClaim.js';
import { SqliteIdempotencyKeys } from './SqliteIdempotencyKeys.js';
import { GroupCommit, type GroupOutcome } from '../GroupCommit.js';
import { HeadCompactor } from './HeadCompactor.js';
import { SqliteChunkTable } from './SqliteChunkTable.js';
import { SqliteDownsampleTable } from './SqliteDownsampleTable.js';
import { SqlitePointWriter, type SqliteWriterContext } from './SqlitePointWriter.js';
import { SqliteSeriesKeys } from './SqliteSeriesKeys.js';
import { DEFAULT_SQLITE_STORE_OPTIONS, type SqliteStoreOptions } from './sqliteStoreOptions.js';
import { readColumnsInSteps, type ReadStep } from './readColumnsInSteps.js';
import { sqliteStorageStats } from './sqliteStorageStats.js';
import { writeSortedRuns } from './writeSortedRuns.js';
import { writeChunked } from '../chunks/writeChunked.js';

const SUMMARY_COLUMNS = 's.id, s.owner_id, s.public, s.version, s.created_at, m.title, m.caption, m.description, m.tags';

/**
 * The series half of the SQLite store. One better-sqlite3 connection; see openSqliteStore. Points
 * live in compressed chunks and an uncompressed head (series-003), written and read by the shared
 * chunk logic (src/server/store/chunks) over {@link SqliteChunkTable}: each write is one
 * synchronous transaction, each read step one read transaction. Heads are compacted by a
 * {@link HeadCompactor}, outside requests, without bumping versions or telling listeners.
 */
export class SqliteSeriesStore implements SeriesStore {
  private readonly listeners = new Set<(id: string) => void>();
  private readonly ctx: SqliteWriterContext;
  private readonly table: SqliteChunkTable;
  private readonly chunkOptions: Required<ChunkStoreOptions>;
  private readonly compactor: HeadCompactor;
  private writerSeq = 0;
  private readonly keys: SqliteSeriesKeys;
  private readonly q: {
    insertSeries: Statement<unknown[]>;
    insertMeta: Statement<unknown[]>;
    insertKey: Statement<[string]>;
    getSeries: Statement<[string], SeriesRow>;
    getHead: Statement<[string], HeadRow>;
    version: Statement<[string], number>;
    key: Statement<[string], number>;
    deleteSeries: Statement<[string]>;
    deleteMeta: Statement<[string]>;
    deleteKey: Statement<[string]>;
    bump: Statement<[string], { version: number }>;
    countHead: Statement<[number], number>;
    keysWithHead: Statement<[], number>;
  };

  constructor(
    private readonly db: Database,
    options: SqliteStoreOptions = {},
  ) {
    const o = { ...DEFAULT_SQLITE_STORE_OPTIONS, ...options };
    this.chunkOptions = { ...DEFAULT_CHUNK_STORE_OPTIONS, ...o.chunks };
    this.table = new SqliteChunkTable(db);
    this.keys = new SqliteSeriesKeys(db);
    this.q = {
      insertSeries: db.prepare('INSERT INTO series (id, owner_id, public, created_at, version) VALUES (?, ?, ?, ?, 0)'),
      insertMeta: db.prepare('INSERT INTO series_meta (series_id, title, caption, description, tags, extra) VALUES (?, ?, ?, ?, ?, ?)'),
      insertKey: db.prepare('INSERT INTO series_keys (series_id) VALUES (?)'),
      getSeries: db.prepare(`SELECT ${SUMMARY_COLUMNS}, m.extra FROM series s JOIN series_meta m ON m.series_id = s.id WHERE s.id = ?`),
      getHead: db.prepare('SELECT id, owner_id, public, version FROM series WHERE id = ?'),
      version: db.prepare<[string], number>('SELECT version FROM series WHERE id = ?').pluck(),
      key: db.prepare<[string], number>('SELECT key FROM series_keys WHERE series_id = ?').pluck(),
      deleteSeries: db.prepare('DELETE FROM series WHERE id = ?'),
      deleteMeta: db.prepare('DELETE FROM series_meta WHERE series_id = ?'),
      deleteKey: db.prepare('DELETE FROM series_keys WHERE series_id = ?'),
      bump: db.prepare<[string], { version: number }>('UPDATE series SET version = version + 1 WHERE id = ? RETURNING version'),
      countHead: db.prepare<[number], number>('SELECT count(*) FROM head WHERE series_key = ?').pluck(),
      keysWithHead: db.prepare<[], number>('SELECT DISTINCT series_key FROM head').pluck(),
    };
    this.compactor = new HeadCompactor(
      {
        compact: (key) => this.compactKey(key),
        countHead: (key) => this.q.countHead.get(key) ?? 0,
        keysWithHead: () => this.q.keysWithHead.all(),
      },
      this.chunkOptions.compactHeadAt,
      this.chunkOptions.compactEveryMs,
      undefined,
      this.chunkOptions.onCompactionFailure,
    );
    this.ctx = {
      db,
      memoryLimit: o.memoryLimit,
      batchPoints: o.batchPoints,
      apply: (id, mode, create, runs, tally) => this.apply(id, mode, create, runs, tally),
      nextWriterId: () => ++this.writerSeq,
    };
  }

  /** Inserts the rows of a series (its key too); callers run it inside a transaction. */
  private insert(s: NewSeries): number {
    const now = Date.now() / 1000;
    this.q.insertSeries.run(s.id, s.ownerId, s.public ? 1 : 0, now);
    this.q.insertMeta.run(s.id, s.title, s.caption, s.description, JSON.stringify(s.tags), JSON.stringify(s.extra));
    this.q.insertKey.run(s.id);
    return now;
  }

  private emit(id: string): void {
    for (const listener of this.listeners) {
      try {
        listener(id);
      } catch {
        // A failing listener must not break the write that already committed.
      }
    }
  }

  createSeries(series: NewSeries): Promise<SeriesRecord> {
    try {
      const createdAt = this.db.transaction(() => this.insert(series))();
      return Promise.resolve({ ...series, createdAt, version: 0 });
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  getSeries(id: string): Promise<SeriesRecord | undefined> {
    const row = this.q.getSeries.get(id);
    return Promise.resolve(row && toRecord(row));
  }

  getSeriesHead(id: string): Promise<SeriesHead | undefined> {
    const row = this.q.getHead.get(id);
    return Promise.resolve(row && toHead(row));
  }

  latestWithVersion(id: string): Promise<LatestWithVersion | undefined> {
    // One read transaction: the version and the point of the same snapshot.
    const read = (this.versionedLatest ??= this.db.transaction((seriesId: string): LatestWithVersion | undefined => {
      const version = this.q.version.get(seriesId);
      if (version === undefined) return undefined;
      const key = this.q.key.get(seriesId);
      return { version, latest: key === undefined ? undefined : runStepSync(latestChunked(this.table, key)) };
    }));
    return Promise.resolve(read(id));
  }

  private versionedLatest: ((id: string) => LatestWithVersion | undefined) | undefined;

  deleteSeries(id: string): Promise<boolean> {
    const deleted = this.db.transaction(() => {
      const key = this.q.key.get(id);
      if (key !== undefined) {
        runStepSync(this.table.deleteAll(key));
        this.compactor.emptied(key);
      }
      this.q.deleteKey.run(id);
      this.q.deleteMeta.run(id);
      return this.q.deleteSeries.run(id).changes > 0;
    })();
    if (deleted) this.emit(id);
    return Promise.resolve(deleted);
  }

  searchSeries(query: SeriesQuery): Promise<SeriesSummary[]> {
    const where: string[] = ['(s.public = 1 OR s.owner_id = ?)', '(s.created_at, s.id) > (?, ?)'];
    if (query.user) where.push('s.owner_id = (SELECT id FROM users WHERE name = ?)');
    const batch = this.db.prepare<unknown[], SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM series s JOIN series_meta m ON m.series_id = s.id
       WHERE ${where.join(' AND ')} ORDER BY s.created_at, s.id LIMIT ?`,
    );
    return searchInBatches(query, (after, size) => {
      const args: unknown[] = [query.viewerId ?? -1, after?.createdAt ?? Number.NEGATIVE_INFINITY, after?.id ?? ''];
      if (query.user) args.push(query.user);
      return Promise.resolve(batch.all(...args, size).map(toSummary));
    });
  }

  async *readPoints(id: string, range: PointRange, chunkSize = 10_000): AsyncIterable<Point[]> {
    for await (const { times, values } of this.readPointColumns(id, range, chunkSize)) {
      const points: Point[] = new Array<Point>(times.length);
      for (let i = 0; i < times.length; i++) points[i] = [times[i]!, values[i]!];
      yield points;
    }
  }

  /**
   * The chunks of {@link readPoints} as columns, decoded chunks handed on as they are (typed
   * arrays). Each step of the shared read (a few chunks and the head points among them) is one
   * short read transaction, with a turn of the event loop between steps; nothing stays open
   * across the consumer's awaits, and each step sees one snapshot.
   */
  readPointColumns(id: string, range: PointRange, chunkSize = 10_000): AsyncIterable<PointColumns> {
    const step = (this.readStep ??= this.db.transaction((seriesId: string, at: ReadCursor, until: number, chunks: number) => {
      const key = this.q.key.get(seriesId);
      return key === undefined ? undefined : runStepSync(readChunkedStep(this.table, key, at, until, chunks));
    }));
    return readColumnsInSteps((cursor, end, chunks) => step(id, cursor, end, chunks), range, chunkSize, this.chunkOptions);
  }

  private readStep: ((id: string, at: ReadCursor, until: number, chunks: number) => ReturnType<ReadStep>) | undefined;

  pageEnd(id: string, range: PointRange, limit: number): Promise<number | undefined> {
    return Promise.resolve(
      this.db.transaction(() => {
        const key = this.q.key.get(id);
        return key === undefined ? undefined : runStepSync(pageEndChunked(this.table, key, range, limit, this.chunkOptions.chunksPerStep));
      })(),
    );
  }

  /** Each step of the shared downsampled read in one read transaction, a turn of the event loop between steps. */
  downsample(id: string, spec: DownsampleSpec): AsyncIterable<Point[]> {
    const table = (this.downsampleTable ??= new SqliteDownsampleTable(this.db, this.table));
    const run: RunDownsampleStep = (make) =>
      Promise.resolve(
        this.db.transaction(() => {
          const key = this.q.key.get(id);
          return key === undefined ? undefined : runStepSync(make(table, key));
        })(),
      );
    return downsampleInSteps(spec, run, this.chunkOptions.chunksPerStep);
  }

  private downsampleTable: SqliteDownsampleTable | undefined;

  latest(id: string): Promise<Point | undefined> {
    const key = this.q.key.get(id);
    return Promise.resolve(key === undefined ? undefined : this.db.transaction(() => runStepSync(latestChunked(this.table, key)))());
  }

  private writePointTx: ReturnType<SqliteSeriesStore['makeWritePoint']> | undefined;

  /**
   * One point in its own immediate transaction. An append (`delta` undefined) writes `value` at
   * `time`; an increment reads the latest point and writes latest + `delta`, never before the
   * latest time, and with a `claim` first looks the key up (thrown out as {@link KeySeen}: nothing
   * applied) and records it after the point. The transaction function is made once per store:
   * better-sqlite3 builds five wrapper functions per `db.transaction()` call (2.7 kB a request).
   */
  private makeWritePoint() {
    return this.db.transaction((id: string, time: number, value: PointValue, delta: number | undefined, claim: IdempotencyClaim | undefined): { point: Point; version: number } => {
      const key = this.q.key.get(id);
      if (key === undefined) throw new StoreConflictError(`series ${id} does not exist`);
      let t = time;
      let v = value;
      if (delta !== undefined) {
        if (claim) {
          const row = this.idempotencyKeys!.seen(id, claim);
          // Thrown to roll the transaction back: nothing applied.
          if (row) throw new KeySeen(row.fingerprint === claim.fingerprint ? { kind: 'repeated', status: row.status } : { kind: 'mismatch' });
        }
        const latest = runStepSync(latestChunked(this.table, key));
        v = incrementRule.value(id, latest?.[1], delta);
        t = incrementRule.time(latest?.[0], time);
      }
      // A chunk holds finite numbers only (the CSV parser never makes others).
      if (!Number.isFinite(t)) throw new RangeError(`series ${id}: the time ${t} is not a finite number`);
      if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`series ${id}: the value ${v} is not a finite number`);
      const written = runStepSync(writeChunked(this.table, key, { times: [t], values: [v] }, this.chunkOptions));
      if (written === 'head') this.compactor.wroteHead(key, 1);
      if (claim) this.idempotencyKeys!.record(id, claim, 204);
      return { point: [t, v] as const, version: this.q.bump.get(id)!.version };
    });
  }

  private writeOne(id: string, time: number, value: PointValue, delta?: number, claim?: IdempotencyClaim): Promise<{ point: Point; version: number }> {
    return this.pointWrites.write({ id, time, value, delta, claim });
  }

  /**
   * Single-point writes queued in one event-loop turn, committed together: one immediate
   * transaction, each write in its own savepoint (a failing one rolls back alone and rejects only
   * its caller), listeners told once the transaction committed. One fsync acknowledges them all.
   */
  private readonly pointWrites = new GroupCommit<PointWrite, { point: Point; version: number }>((writes) => {
    const outcomes = writes.length === 1 ? [this.writeQueued(writes[0]!)] : (this.groupTx ??= this.db.transaction((ws: readonly PointWrite[]) => ws.map((w) => this.writeQueued(w)))).immediate(writes);
    const told = new Set<string>();
    for (let i = 0; i < writes.length; i++) {
      const id = writes[i]!.id;
      if (outcomes[i]!.ok && !told.has(id)) {
        told.add(id);
        this.emit(id);
      }
    }
    return outcomes;
  });

  private groupTx: Transaction<(writes: readonly PointWrite[]) => GroupOutcome<{ point: Point; version: number }>[]> | undefined;

  /** One queued write: its own immediate transaction, or a savepoint inside the group's. */
  private writeQueued(w: PointWrite): GroupOutcome<{ point: Point; version: number }> {
    try {
      return { ok: true, value: (this.writePointTx ??= this.makeWritePoint()).immediate(w.id, w.time, w.value, w.delta, w.claim) };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  appendValue(id: string, time: number, value: PointValue): Promise<{ point: Point; version: number }> {
    return this.writeOne(id, time, value);
  }

  increment(id: string, time: number, delta: number): Promise<{ point: Point; version: number }> {
    return this.writeOne(id, time, null, delta);
  }

  /**
   * `increment` at most once per key (issue 14): the key is looked up and recorded in the write's
   * own transaction, so a crash between them cannot apply it without recording it.
   */
  async incrementOnce(id: string, time: number, delta: number, claim: IdempotencyClaim): Promise<IdempotentOutcome> {
    this.idempotencyKeys ??= new SqliteIdempotencyKeys(this.db);
    try {
      return { kind: 'applied', ...(await this.writeOne(id, time, null, delta, claim)) };
    } catch (err) {
      if (err instanceof KeySeen) return err.outcome;
      throw err;
    }
  }

  private idempotencyKeys: SqliteIdempotencyKeys | undefined;

  /** A staged write's commit: one immediate transaction (see {@link SqliteWriterContext.apply}). */
  private apply(id: string, mode: WriteMode, create: NewSeries | undefined, runs: Iterable<Columns>, tally?: { replaced: number }): number {
    const version = this.db.transaction(() => {
      if (create) this.insert(create);
      const key = this.q.key.get(id);
      if (key === undefined) throw new StoreConflictError(`series ${id} no longer exists`);
      if (mode === 'replace') {
        runStepSync(this.table.deleteAll(key));
        this.compactor.emptied(key);
      }
      this.compactor.wroteHead(key, writeSortedRuns(this.table, key, runs, this.chunkOptions, tally));
      return this.q.bump.get(id)!.version;
    }).immediate();
    this.emit(id);
    return version;
  }

  /** One immediate transaction: lookups by key, the cap, the new series, every series' points. */
  writeKeyed(ownerId: number, writes: readonly KeyedSeriesWrite[], maxKeyedSeries: number): Promise<{ created: number; points: number }> {
    const written: string[] = [];
    try {
      const result = this.db.transaction(() => {
        const ids = this.keys.find(ownerId, writes);
        const missing = ids.filter((id) => id === undefined).length;
        if (missing > 0) {
          const held = this.keys.count(ownerId);
          if (held + missing > maxKeyedSeries) throw new SeriesCapError(maxKeyedSeries, held, missing);
        }
        let points = 0;
        for (let i = 0; i < writes.length; i++) {
          const w = writes[i]!;
          let id = ids[i];
          if (id === undefined) {
            id = w.create.id;
            this.insert(w.create);
            this.keys.insert(ownerId, w, id);
          }
          const key = this.q.key.get(id)!;
          this.compactor.wroteHead(key, writeSortedRuns(this.table, key, [w.points], this.chunkOptions));
          this.q.bump.get(id);
          points += w.points.times.length;
          written.push(id);
        }
        return { created: missing, points };
      }).immediate();
      for (const id of written) this.emit(id);
      return Promise.resolve(result);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  keyedNames(ownerId: number, database?: string): Promise<string[]> {
    return Promise.resolve(this.keys.names(ownerId, database));
  }

  openWriter(id: string, mode: WriteMode, create?: NewSeries): Promise<PointWriter> {
    return Promise.resolve(new SqlitePointWriter(this.ctx, id, mode, create));
  }

  onChange(listener: (seriesId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Compacts one series' head in one immediate transaction: no version bump, no listener call. */
  private compactKey(key: number): void {
    this.db.transaction(() => runStepSync(compactHead(this.table, key, this.chunkOptions))).immediate();
  }

  async compact(id?: string): Promise<void> {
    const keys = id === undefined ? this.q.keysWithHead.all() : [this.q.key.get(id)].filter((k) => k !== undefined);
    for (let i = 0; i < keys.length; i++) {
      // One series per turn of the event loop, as the compactor does.
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      this.compactKey(keys[i]!);
      this.compactor.emptied(keys[i]!);
    }
  }

  storageStats(id?: string): Promise<StorageStats> {
    return Promise.resolve(sqliteStorageStats(this.db, id));
  }

  /** Stops the compactor (the connection is closed by the caller). */
  close(): void {
    this.pointWrites.flush();
    this.compactor.close();
  }
}

/** One queued single-point write (see {@link SqliteSeriesStore.makeWritePoint}). */
interface PointWrite {
  id: string;
  time: number;
  value: PointValue;
  delta: number | undefined;
  claim: IdempotencyClaim | undefined;
}

/** An idempotency key seen before, thrown out of the write's transaction. */
class KeySeen extends Error {
  constructor(readonly outcome: IdempotentOutcome) {
    super('idempotency key seen before');
  }
}
