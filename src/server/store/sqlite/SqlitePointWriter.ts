import type { Database, Statement } from 'better-sqlite3';
import type { Point } from '../../../codec/Point.js';
import type { NewSeries, PointWriter, WriteMode } from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { PointBuffer } from './PointBuffer.js';
import { toSqliteValue } from './sqliteValue.js';

/** Rows per staging transaction when a write spills (~50 ms each here). */
const SPILL_CHUNK = 50_000;

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
  private buffer = new PointBuffer();
  private spilled = 0;
  private writerId: number | undefined;
  private done = false;
  /** The spill in progress, if any: a commit() that did not wait for stage() waits for it. */
  private spilling: Promise<void> | undefined;

  constructor(
    private readonly ctx: SqliteWriterContext,
    private readonly id: string,
    private readonly mode: WriteMode,
    private readonly create: NewSeries | undefined,
  ) {}

  async stage(points: readonly Point[]): Promise<void> {
    if (this.done) throw new Error('stage() after commit() or abort()');
    for (const [t, v] of points) this.buffer.push(t, v);
    if (this.buffer.length >= this.ctx.memoryLimit) {
      this.spilling = this.spill();
      try {
        await this.spilling;
      } finally {
        this.spilling = undefined;
      }
    }
  }

  /**
   * Moves the buffered points to the staging table in short transactions of {@link SPILL_CHUNK}
   * rows, yielding to the event loop between them so other requests are not held up for seconds.
   * Each transaction is synchronous (better-sqlite3): none stays open across the `await`.
   */
  private async spill(): Promise<void> {
    const id = (this.writerId ??= this.ctx.nextWriterId());
    const { stage, db } = this.ctx;
    const buffer = this.buffer;
    this.buffer = new PointBuffer();
    const chunk = db.transaction((from: number, to: number) => {
      let seq = this.spilled;
      buffer.forEachIn(from, to, (t, v) => stage.run(id, seq++, t, toSqliteValue(v)));
      this.spilled = seq;
    });
    for (let from = 0; from < buffer.length; from += SPILL_CHUNK) {
      if (this.done) return; // aborted meanwhile: discard() already cleared what was staged
      chunk(from, Math.min(buffer.length, from + SPILL_CHUNK));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    buffer.clear();
  }

  commit(): Promise<{ points: number; version: number }> {
    if (this.done) return Promise.reject(new Error('commit() after commit() or abort()'));
    if (this.spilling) return this.spilling.then(() => this.commit());
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
