/** One write's outcome inside a group: its answer, or the error that rolled back only that write. */
export type GroupOutcome<O> = { ok: true; value: O } | { ok: false; error: Error };

/** Options of {@link GroupCommit}. */
export interface GroupCommitOptions {
  /** Most writes one commit takes; the rest wait for the next turn (bounds how long one commit holds the event loop). */
  maxWrites?: number;
  /** Runs the flush later (default `setImmediate`: after the I/O of the current event-loop turn). */
  schedule?: (flush: () => void) => void;
}

const DEFAULT_MAX_WRITES = 256;

/**
 * Group commit for small synchronous writes: writes queued in the same event-loop turn are applied
 * together by `commit`, one transaction for all of them, and each caller's promise settles only
 * after that transaction committed. On a synchronous store (SQLite) every commit is an fsync that
 * holds the event loop, so under concurrent appends one fsync now acknowledges many requests
 * instead of one.
 *
 * `commit` gets the queued inputs in arrival order and answers one outcome per input (a write that
 * fails alone, rolled back to its own savepoint, rejects only its caller); if `commit` throws,
 * nothing of the group was applied and every caller of the group is rejected with that error.
 */
export class GroupCommit<I, O> {
  private queue: { input: I; resolve: (o: O) => void; reject: (err: Error) => void }[] = [];
  private scheduled = false;
  private readonly maxWrites: number;
  private readonly schedule: (flush: () => void) => void;

  constructor(
    private readonly commit: (inputs: readonly I[]) => readonly GroupOutcome<O>[],
    options: GroupCommitOptions = {},
  ) {
    this.maxWrites = Math.max(1, options.maxWrites ?? DEFAULT_MAX_WRITES);
    this.schedule = options.schedule ?? ((flush) => void setImmediate(flush));
  }

  /** Queues one write; resolves once the transaction holding it committed. */
  write(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.schedule(() => this.flushTurn());
      }
    });
  }

  /** Writes queued and not yet committed. */
  get pending(): number {
    return this.queue.length;
  }

  /** Commits everything queued now, group after group (used before the store closes). */
  flush(): void {
    while (this.queue.length > 0) this.commitGroup();
  }

  /** One scheduled turn: one group; what is left over gets another turn, so other work runs between. */
  private flushTurn(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return; // flushed in between
    this.commitGroup();
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flushTurn());
    }
  }

  private commitGroup(): void {
    const group = this.queue.length <= this.maxWrites ? this.queue : this.queue.slice(0, this.maxWrites);
    this.queue = group === this.queue ? [] : this.queue.slice(this.maxWrites);
    let outcomes: readonly GroupOutcome<O>[];
    try {
      outcomes = this.commit(group.map((w) => w.input));
      if (outcomes.length !== group.length) throw new Error(`group commit answered ${outcomes.length} outcomes for ${group.length} writes`);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const w of group) w.reject(error);
      return;
    }
    for (let i = 0; i < group.length; i++) {
      const o = outcomes[i]!;
      if (o.ok) group[i]!.resolve(o.value);
      else group[i]!.reject(o.error);
    }
  }
}
