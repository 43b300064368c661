import type { Pool } from 'pg';
import type { ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';
import { compactSeries } from './compactSeries.js';
import { seriesKey } from './seriesKey.js';

/** Series listed per sweep query. */
const SWEEP_BATCH = 1_000;

/**
 * Compacts series' heads in the background, one series at a time, each in its own short
 * transaction started from `setImmediate` (never inside the request that filled the head), so no
 * request waits behind more than one series' compaction (a few ms: the head and the short last
 * chunk decoded, merged and encoded).
 *
 * - By size: a write that leaves a series with `compactHeadAt` or more head points calls
 *   {@link request}; the compaction is skipped when the head is smaller by the time it has the
 *   lock (16 concurrent appenders all see the count over the threshold before the first
 *   compaction resets it: without the check each set off another rewrite of the last chunk).
 * - By age: every `compactEveryMs` (an unref'd timer, cleared by {@link close}) it queues every
 *   series whose first head write since its last compaction is older than that (`series.head_since`,
 *   by the database's clock, so every instance agrees; a partial index keeps the query small).
 *
 * A failed compaction changes nothing (its transaction rolls back); it is counted in
 * {@link failures}, retried by the next request or sweep, and reported as the SQLite store's
 * compactor reports it: `onCompactionFailure` (default: one line on stderr) at the 1st, 2nd, 4th,
 * 8th… failure of a series in a row, with the series' int8 key as decimal text. A failed sweep
 * query (no series to name) is counted too and logged on stderr at the 1st, 2nd, 4th… in a row.
 */
export class PgCompactor {
  /** Series waiting, with the head size below which their compaction is skipped (0: compact any head). */
  private readonly waiting = new Map<string, number>();
  private immediate: NodeJS.Immediate | undefined;
  private running: Promise<unknown> | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private closed = false;
  /** Background compactions and sweeps that failed (nothing was changed by them). */
  failures = 0;
  /** The last such failure, for diagnosis. */
  lastFailure: unknown;
  /** Failures in a row by series id, since its last successful compaction. */
  private readonly failing = new Map<string, number>();
  /** Sweep queries that failed in a row. */
  private sweepFailures = 0;

  constructor(
    private readonly pool: Pool,
    private readonly options: Required<ChunkStoreOptions>,
  ) {
    if (options.compactEveryMs > 0) {
      this.timer = setInterval(() => {
        this.sweeping ??= this.sweep()
          .then(
            () => void (this.sweepFailures = 0),
            (err: unknown) => this.sweepFailed(err),
          )
          .finally(() => (this.sweeping = undefined));
      }, options.compactEveryMs);
      this.timer.unref();
    }
  }

  /**
   * Queues a series for compaction soon (after the current turn of the event loop). `bySize`: only
   * if its head still holds `compactHeadAt` points when the compaction takes the lock.
   */
  request(id: string, bySize = false): void {
    if (this.closed) return;
    const min = bySize ? this.options.compactHeadAt : 0;
    this.waiting.set(id, Math.min(min, this.waiting.get(id) ?? min));
    this.kick();
  }

  /** Compacts one series now, or every series with head points; resolves when done. */
  async compactNow(id?: string): Promise<void> {
    if (id !== undefined) {
      await compactSeries(this.pool, id, this.options);
      return;
    }
    let after = '';
    for (;;) {
      const res = await this.pool.query<[string]>({
        name: 'tt_with_head',
        text: `SELECT s.id FROM series s WHERE s.id > $1
          AND (s.head_since IS NOT NULL OR EXISTS (SELECT 1 FROM head h WHERE h.series_key = s.key)) ORDER BY s.id LIMIT $2`,
        values: [after, SWEEP_BATCH],
        rowMode: 'array',
      });
      for (const [sid] of res.rows) await compactSeries(this.pool, sid, this.options);
      if (res.rows.length < SWEEP_BATCH) return;
      after = res.rows[res.rows.length - 1]![0];
    }
  }

  private async sweep(): Promise<void> {
    const res = await this.pool.query<[string]>({
      name: 'tt_head_aged',
      text: `SELECT id FROM series WHERE head_since < extract(epoch from clock_timestamp()) - $1::float8 / 1000
        ORDER BY head_since LIMIT $2`,
      values: [this.options.compactEveryMs, SWEEP_BATCH],
      rowMode: 'array',
    });
    for (const [id] of res.rows) this.request(id);
  }

  private kick(): void {
    if (this.running || this.immediate || this.waiting.size === 0) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      const next = this.waiting.entries().next().value;
      if (next === undefined || this.closed) return;
      const [id, minHeadPoints] = next;
      this.waiting.delete(id);
      this.running = compactSeries(this.pool, id, this.options, minHeadPoints)
        .then(
          () => void this.failing.delete(id),
          (err: unknown) => this.failed(id, err),
        )
        .finally(() => {
          this.running = undefined;
          this.kick();
        });
    });
  }

  private failed(id: string, err: unknown): void {
    if (this.closed) return;
    this.failures++;
    this.lastFailure = err;
    const inRow = (this.failing.get(id) ?? 0) + 1;
    this.failing.set(id, inRow);
    if (!isPowerOfTwo(inRow)) return;
    try {
      this.options.onCompactionFailure({ key: seriesKey(id), error: err, failuresOfSeries: inRow, failures: this.failures });
    } catch {
      // A report that throws must not stop the compactor: the failure is counted.
    }
  }

  private sweepFailed(err: unknown): void {
    if (this.closed) return;
    this.failures++;
    this.lastFailure = err;
    this.sweepFailures++;
    if (!isPowerOfTwo(this.sweepFailures)) return;
    const message = err instanceof Error ? err.message : String(err);
    console.error(
      `timetric store: listing the heads due for compaction failed (${this.sweepFailures} in a row, ${this.failures} compaction failures in all): ${message}; ` +
        'the next sweep tries again, and writes still compact by size',
    );
  }

  /** Stops the timer and the queue; waits for a compaction or sweep in progress. A second call does nothing more. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.waiting.clear();
    await Promise.all([this.running, this.sweeping]);
  }
}

/** 1, 2, 4, 8…: the failures in a row that are reported. */
const isPowerOfTwo = (n: number): boolean => (n & (n - 1)) === 0;
