// Single-point writes on SQLite are group-committed: those that arrive in one event-loop turn share
// one transaction (one fsync), and each is still acknowledged only once committed, alone in its
// failure, and announced once committed. Checked on a file database through a second connection.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { NewSeries, Store } from '../../src/server/store/Store.js';
import { StoreConflictError } from '../../src/server/store/StoreConflictError.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';

const newSeries = (id: string, ownerId: number): NewSeries => ({ id, ownerId, title: id, caption: '', description: null, tags: [], public: false, extra: {} });
const A = 'groupCommitSeriesA0000';
const B = 'groupCommitSeriesB0000';
const MISSING = 'groupCommitMissing0000';

describe('SQLite store: group commit of single-point writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timetric-group-'));
  const file = join(dir, 'group.db');
  let store: Store;
  let peek: Database.Database;
  /** Points of a series as another connection sees them: committed data only. */
  const committed = (id: string): number => peek.prepare<[string], number>('SELECT (SELECT count(*) FROM head h WHERE h.series_key = k.key) + coalesce((SELECT sum(count) FROM chunks c WHERE c.series_key = k.key), 0) FROM series_keys k WHERE k.series_id = ?').pluck().get(id) ?? 0;

  before(async () => {
    store = await openSqliteStore(file);
    const owner = (await store.createUser('grouper', 'scrypt$x$y')).id;
    await store.createSeries(newSeries(A, owner));
    await store.createSeries(newSeries(B, owner));
    peek = new Database(file, { readonly: true });
  });
  after(async () => {
    peek.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes of one turn: each failing one rejected alone, the rest committed before anyone is answered or told', async () => {
    const told: { id: string; a: number; b: number }[] = [];
    const stop = store.onChange((id) => told.push({ id, a: committed(A), b: committed(B) }));
    try {
      const answered: { a: number; b: number }[] = [];
      const writes = [
        store.appendValue(A, 1, 1.5),
        store.appendValue(B, 1, true),
        store.appendValue(MISSING, 1, 1),
        store.appendValue(A, 2, Number.NaN),
        store.increment(A, 3, 2),
        store.appendValue(B, 2, null),
      ].map((p) => p.then((r) => (answered.push({ a: committed(A), b: committed(B) }), r), (err: Error) => err));
      assert.equal(committed(A), 0, 'nothing applied synchronously');
      const [a1, b1, missing, nan, inc, b2] = await Promise.all(writes);
      assert.ok(missing instanceof StoreConflictError, `missing series: ${JSON.stringify(missing)}`);
      assert.ok(nan instanceof RangeError, `NaN: ${JSON.stringify(nan)}`);
      assert.deepEqual([a1, inc, b1, b2].map((r) => (r as { version: number }).version), [1, 2, 1, 2], 'versions in arrival order, failed writes bump nothing');
      assert.deepEqual((inc as { point: unknown }).point, [3, 3.5], 'the increment builds on the append before it in the same group');
      assert.deepEqual(answered, Array(4).fill({ a: 2, b: 2 }), 'every answer comes after all four points committed');
      assert.deepEqual(told, [{ id: A, a: 2, b: 2 }, { id: B, a: 2, b: 2 }], 'each series told once, after the commit');
      assert.deepEqual(await store.latestWithVersion(A), { version: 2, latest: [3, 3.5] });
      assert.deepEqual(await store.latestWithVersion(B), { version: 2, latest: [2, null] });
    } finally {
      stop();
    }
  });

  it('an idempotent increment repeated within one group is applied once', async () => {
    const C = 'groupCommitSeriesC0000';
    await store.createSeries(newSeries(C, (await store.getSeries(A))!.ownerId));
    const claim = { key: 'same-key-1', fingerprint: 'f'.repeat(64), now: 1000, windowSeconds: 3600 };
    const [first, again, other] = await Promise.all([
      store.incrementOnce!(C, 10, 5, claim),
      store.incrementOnce!(C, 11, 5, claim),
      store.incrementOnce!(C, 12, 5, { ...claim, fingerprint: 'e'.repeat(64) }),
    ]);
    assert.equal(first.kind, 'applied');
    assert.equal(again.kind, 'repeated');
    assert.equal(other.kind, 'mismatch');
    assert.deepEqual(await store.latestWithVersion(C), { version: 1, latest: [10, 5] });
  });

  it('writes still queued when the store closes are committed first, and survive the reopen', async () => {
    const f2 = join(dir, 'close.db');
    const s = await openSqliteStore(f2);
    const owner = (await s.createUser('closer', 'scrypt$x$y')).id;
    await s.createSeries(newSeries(A, owner));
    const pending = [s.appendValue(A, 1, 1), s.appendValue(A, 2, 2)];
    await s.close();
    assert.deepEqual((await Promise.all(pending)).map((r) => r.version), [1, 2]);
    const reopened = await openSqliteStore(f2);
    try {
      assert.deepEqual(await reopened.latestWithVersion(A), { version: 2, latest: [2, 2] });
    } finally {
      await reopened.close();
    }
  });
});
