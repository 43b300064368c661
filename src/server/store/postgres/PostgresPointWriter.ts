import { once } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Point } from '../../../codec/Point.js';
import type { NewSeries, PointWriter, WriteMode } from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { CHANGE_CHANNEL, type PgChangeChannel } from './PgChangeChannel.js';
import { BUMP_VERSION, insertSeries } from './PostgresSeriesStore.js';
import { copyNumber } from './pgValue.js';

type CopyStream = ReturnType<typeof copyFrom>;

/**
 * A staged write on a dedicated pooled connection. The first `stage()` opens a transaction and a
 * `COPY … FROM STDIN` into a temporary staging table (dropped at commit); points stream into it
 * as they arrive, with back-pressure, so memory stays bounded. `commit()` ends the COPY, then —
 * holding the series' row lock — applies the staging table to `points` with one
 * `INSERT … SELECT … ON CONFLICT DO UPDATE` (after a `DELETE` for `replace`), notifies, and
 * commits. The last staged point for a timestamp wins. `abort()` cancels the COPY (CopyFail) and
 * rolls back. The connection goes back to the pool on every path (destroyed if it is unusable).
 */
export class PostgresPointWriter implements PointWriter {
  private client: PoolClient | undefined;
  private copy: CopyStream | undefined;
  private copyError: Error | undefined;
  private seq = 0;
  /** Every staged timestamp greater than the one before: no duplicates, no sort needed. */
  private ascending = true;
  private lastTs = Number.NEGATIVE_INFINITY;
  private done = false;
  /** Serialises stage/commit/abort: each waits for the previous call to settle. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly changes: PgChangeChannel,
    private readonly id: string,
    private readonly mode: WriteMode,
    private readonly create: NewSeries | undefined,
  ) {}

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
    await client.query(
      'CREATE TEMP TABLE timetric_staging (seq bigint NOT NULL, ts float8 NOT NULL, v float8, b boolean) ON COMMIT DROP',
    );
    const copy = client.query(copyFrom('COPY timetric_staging (seq, ts, v, b) FROM STDIN'));
    copy.on('error', (err: Error) => {
      this.copyError ??= err;
    });
    this.copy = copy;
    return client;
  }

  stage(points: readonly Point[]): Promise<void> {
    if (this.done) return Promise.reject(new Error('stage() after commit() or abort()'));
    if (points.length === 0) return Promise.resolve();
    return this.enqueue(async () => {
      if (this.done) throw new Error('stage() after commit() or abort()');
      await this.begin();
      if (this.copyError) throw this.copyError;
      let text = '';
      for (const [t, value] of points) {
        if (t <= this.lastTs) this.ascending = false;
        this.lastTs = t;
        const v = typeof value === 'number' ? copyNumber(value) : '\\N';
        const b = value === true ? 't' : value === false ? 'f' : '\\N';
        text += `${this.seq++}\t${copyNumber(t)}\t${v}\t${b}\n`;
      }
      const copy = this.copy!;
      if (!copy.write(text)) {
        await Promise.race([
          once(copy, 'drain'),
          once(copy, 'error').then(([err]) => {
            throw err as Error;
          }),
        ]);
      }
    });
  }

  commit(): Promise<{ points: number; version: number }> {
    if (this.done) return Promise.reject(new Error('commit() after commit() or abort()'));
    this.done = true;
    return this.enqueue(async () => {
      try {
        const client = await this.begin();
        const copy = this.copy!;
        this.copy = undefined;
        if (this.copyError) throw this.copyError;
        copy.end();
        await once(copy, 'finish');
        if (this.create) await insertSeries(client, this.create);
        const bumped = await client.query<{ version: string }>(BUMP_VERSION, [this.id]);
        const version = bumped.rows[0]?.version;
        if (version === undefined) throw new StoreConflictError(`series ${this.id} no longer exists`);
        let emptyTarget = this.create !== undefined;
        if (this.mode === 'replace') {
          await client.query('DELETE FROM points WHERE series_id = $1', [this.id]);
          emptyTarget = true;
        }
        if (this.seq > 0) {
          await client.query("SET LOCAL work_mem = '64MB'");
          const source = this.ascending
            ? 'SELECT ts, v, b FROM timetric_staging'
            : 'SELECT DISTINCT ON (ts) ts, v, b FROM timetric_staging ORDER BY ts, seq DESC';
          const conflict = emptyTarget ? '' : ' ON CONFLICT (series_id, ts) DO UPDATE SET v = excluded.v, b = excluded.b';
          await client.query(`INSERT INTO points (series_id, ts, v, b) SELECT $1, ts, v, b FROM (${source}) x${conflict}`, [
            this.id,
          ]);
        }
        await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, this.changes.payloadFor(this.id)]);
        await client.query('COMMIT');
        this.release(false);
        this.changes.emitLocal(this.id);
        return { points: this.seq, version: Number(version) };
      } catch (err) {
        await this.rollback();
        throw err;
      }
    });
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
