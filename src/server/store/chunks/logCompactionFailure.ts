/** A background compaction of a series' head that threw, as a store's compactor reports it. */
export interface CompactionFailure<K = number | string> {
  /** The series' key (SQLite: its integer key; PostgreSQL: the int8 key as decimal text). */
  key: K;
  error: unknown;
  /** Failures of this series' compactions since its last success, this one included. */
  failuresOfSeries: number;
  /** Failures of every series' compactions in this process so far. */
  failures: number;
}

/**
 * The default report of a failed head compaction (`ChunkStoreOptions.onCompactionFailure`): one
 * line on stderr, the server's log. Compactors report the 1st, 2nd, 4th, 8th… failure of a series
 * in a row, so a series whose compaction fails on every write cannot flood the log, while every
 * failure is still counted.
 *
 * @example
 * ```ts
 * logCompactionFailure({ key: 12, error: new Error('database is locked'), failuresOfSeries: 1, failures: 1 });
 * // timetric store: compacting the head of series key 12 failed (1 in a row, 1 in all): database is locked; …
 * ```
 */
export function logCompactionFailure(f: CompactionFailure): void {
  const message = f.error instanceof Error ? f.error.message : String(f.error);
  console.error(
    `timetric store: compacting the head of series key ${f.key} failed (${f.failuresOfSeries} in a row, ${f.failures} in all): ${message}; ` +
      'its points stay in the head (read as usual) and compaction is retried by the next write or sweep',
  );
}
