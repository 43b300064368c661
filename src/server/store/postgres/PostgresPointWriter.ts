import { once } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import type { from as copyFromFn } from 'pg-copy-streams';
import type { Point } from '../../../codec/Point.js';
import type { NewSeries, PointWriter, WriteMode } from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { CHANGE_CHANNEL, type PgChangeChannel } from './PgChangeChannel.js';
import { BUMP_VERSION, insertSeries } from './PostgresSeriesStore.js';
import { copyNumber } from './pgValue.js';
import { seriesKey } from './seriesKey.js';

type CopyStream = ReturnType<typeof copyFromFn>;

/** Where the running COPY goes: straight into `points`, or into the staging table. */
type Phase = 'direct' | 'staging';

/** PostgreSQL's float8 takes NaN and ±Infinity; a point may not have them. */
export function checkPoint(t: number, value: Point[1]): void {
  if (!Number.isFinite(t)) throw new RangeError(`a point's time must be a finite number, not ${String(t)}`);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`a point's value must be a finite number, true, false or null, not ${String(value)}`);
  }
}

function copyLine(prefix: string, t: number, value: Point[1]): string {
  const v = typeof value === 'number' ? copyNumber(value) : '\\N';
  const b = value === true ? 't' : value === false ? 'f' : '\\N';
  return `${prefix}\t${copyNumber(t)}\t${v}\t${b}\n`;
}

/**
 * A staged write on a dedicated pooled connection, inside one transaction from the first
 * `stage()` to `commit()`; points stream to the server through `COPY … FROM STDIN` as they
 * arrive, with back-pressure, so memory stays bounded and nothing is visible before COMMIT.
 *
 * - Into a temporary staging table (dropped at commit) in general. `commit()` then takes the
 *   series' row lock (the version bump), `DELETE`s for `replace`, and applies the staging table
 *   with one `INSERT … SELECT` — `ON CONFLICT DO UPDATE` only when stored points lie within the
 *   staged time span, `DISTINCT ON` only when timestamps did not arrive strictly ascending (the
 *   last staged point for a timestamp wins).
 * - Straight into `points` while a `create` write's timestamps keep ascending: the series does not
 *   exist yet, so its key has no points and nobody else can write them. The first out-of-order
 *   point ends that COPY and the rest goes through staging as above.
 *
 * `abort()` cancels a running COPY (CopyFail) and rolls back. The connection goes back to the pool
 * on every path (destroyed when it is unusable).
 */
export class PostgresPointWriter implements PointWriter {
  private client: PoolClient | undefined;
  private copy: CopyStream | undefined;
  private copyError: Error | undefined;
  private phase: Phase = 'staging';
  private readonly key: string;
  /** Points staged in all (the count `commit()` reports). */
  private count = 0;
  /** Points sent to the staging table (their `seq` is their arrival order). */
  private staged = 0;
  /** Every staging timestamp greater than the one before: no duplicates, no sort needed. */
  private ascending = true;
  private lastTs = Number.NEGATIVE_INFINITY;
  private minTs = Number.POSITIVE_INFINITY;
  private maxTs = Number.NEGATIVE_INFINITY;
  private done = false;
  /** Serialises stage/commit/abort: each waits for the previous call to settle. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly changes: PgChangeChannel,
    private readonly copyFrom: typeof copyFromFn,
    private readonly id: string,
    private readonly mode: WriteMode,
    private readonly create: NewSeries | undefined,
  ) {
    this.key = seriesKey(id);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async begin(): Promise<PoolClient> {
    if (this.client) return this.client;
    const client = await this.pool.connect();
    this.client = client;
    await client.query('BEGIN');
    // A taken id goes through staging, so that commit() fails with a clear StoreConflictError
    // rather than a duplicate-key error from the COPY.
    const direct =
      this.create !== undefined && (await client.query('SELECT 1 FROM series WHERE id = $1', [this.id])).rowCount === 0;
    if (direct) this.startCopy(client, 'direct');
    else await this.startStaging(client);
    return client;
  }

  private startCopy(client: PoolClient, phase: Phase): void {
    const copy = client.query(
      this.copyFrom(
        phase === 'direct' ? 'COPY points (series_id, ts, v, b) FROM STDIN' : 'COPY timetric_staging (seq, ts, v, b) FROM STDIN',
      ),
    );
    copy.on('error', (err: Error) => {
      this.copyError ??= err;
    });
    this.copy = copy;
    this.phase = phase;
  }

  private async startStaging(client: PoolClient): Promise<void> {
    await client.query(
      'CREATE TEMP TABLE timetric_staging (seq bigint NOT NULL, ts float8 NOT NULL, v float8, b boolean) ON COMMIT DROP',
    );
    this.startCopy(client, 'staging');
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
    const client = await this.begin();
    if (this.copyError) throw this.copyError;
    let text = '';
    let i = 0;
    if (this.phase === 'direct') {
      for (; i < points.length; i++) {
        const [t, value] = points[i]!;
        if (t <= this.lastTs) break;
        this.lastTs = t;
        text += copyLine(this.key, t, value);
      }
      this.count += i;
      if (i === points.length) return this.write(text);
      // Out of order: what came so far is in `points` (unique, ascending); the rest may
      // repeat a timestamp, so it goes through staging and is merged at commit.
      await this.write(text);
      await this.endCopy();
      await this.startStaging(client);
      text = '';
    }
    for (; i < points.length; i++) {
      const [t, value] = points[i]!;
      if (t <= this.lastTs) this.ascending = false;
      this.lastTs = t;
      if (t < this.minTs) this.minTs = t;
      if (t > this.maxTs) this.maxTs = t;
      text += copyLine(String(this.staged++), t, value);
      this.count++;
    }
    await this.write(text);
  }

  commit(): Promise<{ points: number; version: number }> {
    if (this.done) return Promise.reject(new Error('commit() after commit() or abort()'));
    this.done = true;
    return this.enqueue(async () => {
      try {
        const client = await this.begin();
        const directRows = this.phase === 'direct' || this.staged < this.count;
        await this.endCopy();
        if (this.create) await insertSeries(client, this.create);
        const bumped = await client.query<{ version: string }>(BUMP_VERSION, [this.id]);
        const version = bumped.rows[0]?.version;
        if (version === undefined) throw new StoreConflictError(`series ${this.id} no longer exists`);
        if (this.mode === 'replace' && !this.create) {
          await client.query('DELETE FROM points WHERE series_id = $1', [this.key]);
        }
        if (this.staged > 0) await this.applyStaging(client, directRows);
        await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, this.changes.payloadFor(this.id)]);
        await client.query('COMMIT');
        this.release(false);
        this.changes.emitLocal(this.id);
        return { points: this.count, version: Number(version) };
      } catch (err) {
        await this.rollback();
        if ((err as { code?: string }).code === '23505' && this.create) {
          throw new StoreConflictError(`series ${this.id} already exists`, { cause: err });
        }
        throw err;
      }
    });
  }

  private async applyStaging(client: PoolClient, directRows: boolean): Promise<void> {
    // The series' row lock (taken by the bump) keeps every other writer of this series out until
    // COMMIT, so when no stored point lies within the staged time span nothing can conflict and a
    // plain INSERT (about twice as fast as ON CONFLICT) is safe.
    const mayConflict = directRows || (this.create === undefined && this.mode === 'merge');
    const overlaps =
      mayConflict &&
      (
        await client.query('SELECT 1 FROM points WHERE series_id = $1 AND ts >= $2 AND ts <= $3 LIMIT 1', [
          this.key,
          this.minTs,
          this.maxTs,
        ])
      ).rowCount !== 0;
    if (!this.ascending) await client.query("SET LOCAL work_mem = '64MB'");
    const source = this.ascending
      ? 'SELECT ts, v, b FROM timetric_staging'
      : 'SELECT DISTINCT ON (ts) ts, v, b FROM timetric_staging ORDER BY ts, seq DESC';
    const conflict = overlaps ? ' ON CONFLICT (series_id, ts) DO UPDATE SET v = excluded.v, b = excluded.b' : '';
    await client.query(`INSERT INTO points (series_id, ts, v, b) SELECT $1::bigint, ts, v, b FROM (${source}) x${conflict}`, [
      this.key,
    ]);
  }

  abort(): Promise<void> {
    if (this.done) return this.queue.then(() => undefined);
    this.done = true;
    return this.enqueue(() => this.rollback());
  }

  /** Cancels a running COPY, rolls back and releases; never throws. */
  private async rollback(): Promise<void> {
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
