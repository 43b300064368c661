import type { Database, Statement } from 'better-sqlite3';
import type { Point } from '../../../codec/Point.js';
import type { NewSeries, PointWriter, WriteMode } from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { PointBuffer } from './PointBuffer.js';
import { toSqliteValue } from './sqliteValue.js';

/** What a writer needs from its store; statements are prepared once per database. */
export interface SqliteWriterContext {
  db: Database;
  /** Points kept in memory before they spill to the staging table. */
  memoryLimit: number;
  upsert: Statement<[string, number, unknown]>;
  stage: Statement<[number, number, number, unknown]>;
  commitStaged: Statement<[string, number]>;
  clearStaged: Statement<[number]>;
  deleteAll: Statement<[string]>;
  bump: Statement<[string], { version: number }>;
  insertSeries: (series: NewSeries) => void;
  seriesExists: (id: string) => boolean;
  changed: (id: string) => void;
  nextWriterId: () => number;
}

/**
 * A staged write. Points collect in memory up to `memoryLimit`, then spill to the `staging` table
 * in short transactions; `commit()` applies staging + memory to `points` in ONE transaction, in
 * arrival order (the last point for a timestamp wins). better-sqlite3 is synchronous, so no
 * transaction is ever open across an `await`: other requests cannot interleave inside it.
 */
export class SqlitePointWriter implements PointWriter {
  private readonly buffer = new PointBuffer();
  private spilled = 0;
  private writerId: number | undefined;
  private done = false;

  constructor(
    private readonly ctx: SqliteWriterContext,
    private readonly id: string,
    private readonly mode: WriteMode,
    private readonly create: NewSeries | undefined,
  ) {}

  stage(points: readonly Point[]): Promise<void> {
    if (this.done) return Promise.reject(new Error('stage() after commit() or abort()'));
    for (const [t, v] of points) this.buffer.push(t, v);
    if (this.buffer.length >= this.ctx.memoryLimit) this.spill();
    return Promise.resolve();
  }

  private spill(): void {
    const id = (this.writerId ??= this.ctx.nextWriterId());
    const { stage, db } = this.ctx;
    let seq = this.spilled;
    db.transaction(() => {
      this.buffer.forEach((t, v) => stage.run(id, seq++, t, toSqliteValue(v)));
    })();
    this.spilled = seq;
    this.buffer.clear();
  }

  commit(): Promise<{ points: number; version: number }> {
    if (this.done) return Promise.reject(new Error('commit() after commit() or abort()'));
    this.done = true;
    const { db, upsert, commitStaged, clearStaged, deleteAll, bump } = this.ctx;
    const count = this.spilled + this.buffer.length;
    try {
      const version = db.transaction(() => {
        if (this.create) this.ctx.insertSeries(this.create);
        else if (!this.ctx.seriesExists(this.id)) throw new StoreConflictError(`series ${this.id} no longer exists`);
        if (this.mode === 'replace') deleteAll.run(this.id);
        if (this.writerId !== undefined) {
          commitStaged.run(this.id, this.writerId);
          clearStaged.run(this.writerId);
        }
        this.buffer.forEach((t, v) => upsert.run(this.id, t, toSqliteValue(v)));
        return bump.get(this.id)!.version;
      }).immediate();
      this.ctx.changed(this.id);
      return Promise.resolve({ points: count, version });
    } catch (err) {
      this.discard();
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.buffer.clear();
    }
  }

  abort(): Promise<void> {
    if (!this.done) {
      this.done = true;
      this.discard();
    }
    return Promise.resolve();
  }

  private discard(): void {
    this.buffer.clear();
    if (this.writerId !== undefined) this.ctx.clearStaged.run(this.writerId);
  }
}
