// A background head compaction that fails on PostgreSQL is counted and reported, as on SQLite:
// the compactor tells `chunks.onCompactionFailure` at the 1st, 2nd, 4th, 8th… failure of a series
// in a row, naming the series by its int8 key (decimal text); the points stay in the head and read
// as before; once the cause is gone the next compaction succeeds and the series' count starts again.
// The failure is real: a trigger refuses chunk inserts. A sequence bumped by the trigger counts
// the attempts (nextval survives the rollback), so the spec waits for each compaction to be tried.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Point } from '../../src/codec/Point.js';
import type { CompactionFailure } from '../../src/server/store/chunks/logCompactionFailure.js';
import { openPostgresStore } from '../../src/server/store/postgres/openPostgresStore.js';
import { seriesKey } from '../../src/server/store/postgres/seriesKey.js';
import type { Store } from '../../src/server/store/Store.js';
import { createPostgresTestDatabase } from '../helpers/createPostgresTestStore.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PostgreSQL head compaction failures', () => {
  let db: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let store: Store;
  let admin: pg.Client;
  const reports: CompactionFailure[] = [];
  before(async () => {
    db = await createPostgresTestDatabase();
    store = await openPostgresStore(db.connectionString, { chunks: { compactHeadAt: 4, compactEveryMs: 0, onCompactionFailure: (f) => reports.push(f) } });
    admin = new pg.Client({ connectionString: db.connectionString });
    await admin.connect();
    await admin.query('CREATE SEQUENCE attempts');
    await admin.query(`CREATE FUNCTION no_chunks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM nextval('attempts'); RAISE EXCEPTION 'no chunks today'; END $$`);
  });
  after(async () => {
    await admin?.end();
    await store?.close();
    await db?.drop();
  });

  const attempts = async (): Promise<number> => Number((await admin.query<{ n: string }>("SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM attempts")).rows[0]!.n);
  /** Waits (turns of the event loop, bounded) until the compactor has tried `n` compactions. */
  const triedAtLeast = async (n: number): Promise<void> => {
    for (let i = 0; i < 10_000 && (await attempts()) < n; i++) await turn();
    assert.ok((await attempts()) >= n, `${n} compactions tried`);
    // The failure is reported after the rollback reaches the compactor.
    for (let i = 0; i < 100; i++) await turn();
  };
  const readAll = async (id: string): Promise<Point[]> => {
    const out: Point[] = [];
    for await (const c of store.readPoints(id, {})) out.push(...c);
    return out;
  };

  it('reports the 1st, 2nd, 4th, 8th failure of a series in a row, keeps its points, and starts again after a success', async () => {
    const id = 'pgCompactFailing'.padEnd(22, 'x');
    await store.createSeries({ id, ownerId: 1, title: 't', caption: '', description: null, tags: [], public: false, extra: {} });
    await admin.query('CREATE TRIGGER no_chunks BEFORE INSERT ON chunks FOR EACH ROW EXECUTE FUNCTION no_chunks()');
    const points: Point[] = [];
    // Every write from the 4th on leaves the head at compactHeadAt or more: a compaction each.
    for (let t = 0; t < 12; t++) {
      await store.appendValue(id, t, t * 10);
      points.push([t, t * 10]);
      if (t >= 3) await triedAtLeast(t - 2);
    }
    assert.deepEqual(
      reports.map((r) => [r.failuresOfSeries, r.failures]),
      [[1, 1], [2, 2], [4, 4], [8, 8]],
      '9 failures, reported at 1, 2, 4, 8',
    );
    assert.equal(reports[0]!.key, seriesKey(id), 'the series by its int8 key, as decimal text');
    assert.match(String((reports[0]!.error as Error).message), /no chunks today/);
    assert.equal((await store.storageStats!(id)).series[0]!.headPoints, 12, 'every point still in the head');
    assert.deepEqual(await readAll(id), points, 'and read as before');

    await admin.query('DROP TRIGGER no_chunks ON chunks');
    await store.appendValue(id, 12, 120);
    points.push([12, 120]);
    for (let i = 0; i < 10_000 && (await store.storageStats!(id)).series[0]!.headPoints > 0; i++) await turn();
    assert.equal((await store.storageStats!(id)).series[0]!.headPoints, 0, 'compacted once the cause is gone');
    assert.deepEqual(await readAll(id), points);
    assert.equal(reports.length, 4, 'a success is not a report');

    await admin.query('CREATE TRIGGER no_chunks BEFORE INSERT ON chunks FOR EACH ROW EXECUTE FUNCTION no_chunks()');
    const before = await attempts();
    for (let t = 13; t < 17; t++) await store.appendValue(id, t, t);
    await triedAtLeast(before + 1);
    // The report follows the rollback's round trip: wait for it (bounded), not a fixed number of turns.
    for (const until = Date.now() + 10_000; reports.length < 5 && Date.now() < until; ) await turn();
    assert.deepEqual(reports.slice(4, 5).map((r) => [r.failuresOfSeries, r.failures]), [[1, 10]], 'the series starts again at 1; the total goes on');
  });
});
