import type { Database } from 'better-sqlite3';
import type { Point } from '../../../codec/Point.js';
import type { Columns } from '../chunks/Columns.js';
import type { NewSeries, PointWriter, WriteMode } from '../Store.js';
import { PointBuffer } from './PointBuffer.js';
import { StagedPoints } from './StagedPoints.js';

/** What a writer needs from its store. */
export interface SqliteWriterContext {
  db: Database;
  /** Points kept in memory before they spill to a temporary table. */
  memoryLimit: number;
  /** Points a spill or a commit moves at a time. */
  batchPoints: number;
  /**
   * Applies sorted unique runs to the series in ONE transaction (creating the series first when
   * `create` is given, emptying it first for `replace`), bumps the version, tells listeners; returns
   * the new version; `tally` counts the points that replaced a stored one. Throws StoreConflictError when the series is gone (or taken, for `create`).
   */
  apply(id: string, mode: WriteMode, create: NewSeries | undefined, runs: Iterable<Columns>, tally?: { replaced: number }): number;
  nextWriterId(): number;
}

/**
 * A staged write. Points collect in memory up to `memoryLimit`, then spill to a TEMP table of the
 * store's connection ({@link StagedPoints}) in short transactions; `commit()` hands staging or
 * memory to the store as sorted runs — the last point for a timestamp winning — which it applies
 * as ONE transaction. better-sqlite3 is synchronous, so no transaction is ever open across an
 * `await`: other requests cannot interleave inside it. A crash applies nothing (the temporary
 * table dies with the connection), and no other process can see or delete what is staged.
 */
export class SqlitePointWriter implements PointWriter {
  private buffer = new PointBuffer();
  private staged: StagedPoints | undefined;
  private count = 0;
  /** No more stage() (committed, committing or aborted). */
  private done = false;
  private aborted = false;
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
    for (let i = 0; i < points.length; i++) {
      const [t, v] = points[i]!;
      // Checked here: sorting and chunk encoding need real numbers, and the error names the point.
      if (!Number.isFinite(t)) throw new RangeError(`point ${this.count + i + 1} of the write: its time ${String(t)} is not a finite number`);
      if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`point ${this.count + i + 1} of the write: its value ${v} is not a finite number`);
    }
    for (const [t, v] of points) this.buffer.push(t, v);
    this.count += points.length;
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
   * Moves the buffered points to the temporary table in short transactions of `batchPoints`,
   * yielding to the event loop between them so other requests are not held up for seconds.
   */
  private async spill(): Promise<void> {
    const staged = (this.staged ??= new StagedPoints(this.ctx.db, this.ctx.nextWriterId()));
    const buffer = this.buffer;
    this.buffer = new PointBuffer();
    for (let from = 0; from < buffer.length; from += this.ctx.batchPoints) {
      if (this.aborted) return; // discard() already dropped what was staged
      staged.add(buffer, from, Math.min(buffer.length, from + this.ctx.batchPoints));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    buffer.clear();
  }

  async commit(): Promise<{ points: number; version: number; replaced: number }> {
    if (this.done) throw new Error('commit() after commit() or abort()');
    if (this.spilling) await this.spilling.catch(() => undefined);
    if (this.done) throw new Error('commit() after commit() or abort()');
    this.done = true;
    try {
      // What is still in memory joins the staged points first (short transactions, as a spill).
      if (this.staged && this.buffer.length > 0) await this.spill();
      if (this.aborted) throw new Error('the write was aborted while it committed');
      const runs = this.staged ? this.staged.sortedRuns(this.ctx.batchPoints) : this.buffer.sortedRuns(this.ctx.batchPoints);
      const tally = { replaced: 0 };
      // Points of this write at one time collapse into one (the last wins): those count as replaced too.
      let unique = 0;
      const counted = (function* () {
        for (const run of runs) {
          unique += run.times.length;
          yield run;
        }
      })();
      const version = this.ctx.apply(this.id, this.mode, this.create, counted, tally);
      return { points: this.count, version, replaced: tally.replaced + (this.count - unique) };
    } finally {
      this.discard();
    }
  }

  abort(): Promise<void> {
    if (!this.aborted) {
      this.done = true;
      this.aborted = true;
      this.discard();
    }
    return Promise.resolve();
  }

  private discard(): void {
    this.buffer.clear();
    this.staged?.drop();
    this.staged = undefined;
  }
}
