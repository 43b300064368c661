import { logCompactionFailure, type CompactionFailure } from '../chunks/logCompactionFailure.js';

/** What a {@link HeadCompactor} does with the store. */
export interface HeadCompactorHost {
  /** Compacts one series' head in one transaction of its own. */
  compact(key: number): void;
  /** Head points of the series now (asked once per series and process, then counted here). */
  countHead(key: number): number;
  /** The series that have head points. */
  keysWithHead(): number[];
}

/**
 * When the SQLite store compacts heads by itself: a series whose head reaches `compactHeadAt`
 * points is compacted soon after the write that did it (`setImmediate`, outside the request),
 * and a sweep every `compactEveryMs` compacts every series whose head points have waited that
 * long (or were there before this process started). One series per turn of the event loop, so a
 * request waits at most one series' compaction. Head sizes are counted here, not queried per
 * write (an upsert over an existing head point counts twice: it only makes a compaction early).
 * A failed compaction (the file busy in another process, say) leaves the head as it is, to be
 * retried by the next sweep or write; `failures` counts them, and `onFailure` reports them at the
 * 1st, 2nd, 4th, 8th… failure of a series in a row (default: {@link logCompactionFailure}).
 */
export class HeadCompactor {
  private readonly counts = new Map<number, number>();
  /** When this process first put points in the series' head since its last compaction, ms. */
  private readonly since = new Map<number, number>();
  private readonly pending = new Set<number>();
  private scheduled = false;
  private closed = false;
  private readonly timer: NodeJS.Timeout | undefined;
  /** Background compactions that threw. */
  failures = 0;
  lastFailure: unknown;
  /** Failures in a row by series, since its last successful compaction. */
  private readonly failing = new Map<number, number>();

  constructor(
    private readonly host: HeadCompactorHost,
    private readonly compactHeadAt: number,
    private readonly compactEveryMs: number,
    private readonly now: () => number = Date.now,
    private readonly onFailure: (failure: CompactionFailure<number>) => void = logCompactionFailure,
  ) {
    if (compactEveryMs > 0) {
      this.timer = setInterval(() => this.sweep(), compactEveryMs);
      this.timer.unref();
    }
  }

  /** A write (committed in the caller's transaction) put `n` points in the series' head. */
  wroteHead(key: number, n: number): void {
    if (n === 0) return;
    const count = this.counts.has(key) ? this.counts.get(key)! + n : this.host.countHead(key);
    this.counts.set(key, count);
    if (!this.since.has(key)) this.since.set(key, this.now());
    if (count >= this.compactHeadAt) this.enqueue(key);
  }

  /** The series' head is empty now (compacted, replaced or deleted). */
  emptied(key: number): void {
    this.counts.delete(key);
    this.since.delete(key);
    this.pending.delete(key);
  }

  /** Compacts every series whose head points are at least `compactEveryMs` old. */
  sweep(): void {
    if (this.closed) return;
    const t = this.now();
    for (const key of this.host.keysWithHead()) {
      const since = this.since.get(key);
      if (since === undefined || t - since >= this.compactEveryMs) this.enqueue(key);
    }
  }

  /** Stops the sweep; queued compactions are dropped (the next open's sweep finds their heads). */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.pending.clear();
  }

  private enqueue(key: number): void {
    this.pending.add(key);
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  /** One series, then the rest on later turns, so other requests run in between. */
  private turn(): void {
    this.scheduled = false;
    if (this.closed) return;
    const key = this.pending.values().next().value;
    if (key === undefined) return;
    this.pending.delete(key);
    try {
      this.host.compact(key);
      this.emptied(key);
      this.failing.delete(key);
    } catch (err) {
      this.failures++;
      this.lastFailure = err;
      const inRow = (this.failing.get(key) ?? 0) + 1;
      this.failing.set(key, inRow);
      // Powers of two: 1, 2, 4, 8… (a report that throws must not stop the compactor).
      if ((inRow & (inRow - 1)) === 0) {
        try {
          this.onFailure({ key, error: err, failuresOfSeries: inRow, failures: this.failures });
        } catch {
          // Nothing else to tell: the failure is counted.
        }
      }
    }
    if (this.pending.size > 0 && !this.closed) {
      this.scheduled = true;
      setImmediate(() => this.turn());
    }
  }
}
