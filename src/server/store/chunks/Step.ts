/**
 * One step of store work that may wait on the database. The chunk logic is written once as
 * generators over a {@link ChunkTable}; SQLite's table answers at once (so a whole write runs inside
 * one synchronous better-sqlite3 transaction, see `runStepSync`), PostgreSQL's yields the promise of
 * each query (`runStepAsync` awaits it and resumes). Write `const rows = yield* table.x(…)`.
 */
export type Step<T> = Generator<Promise<unknown>, T, unknown>;

/** A step that waits for `promise` (PostgreSQL's tables build theirs with it). */
export function* awaitStep<T>(promise: Promise<T>): Step<T> {
  return (yield promise) as T;
}

/** A step that is already done (SQLite's tables build theirs with it). */
// eslint-disable-next-line require-yield
export function* doneStep<T>(value: T): Step<T> {
  return value;
}
