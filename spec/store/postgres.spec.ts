import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import pg from 'pg';
import type { Point } from '../../src/codec/Point.js';
import type { ChunkStoreOptions } from '../../src/server/store/chunks/chunkStoreOptions.js';
import { compactSeries } from '../../src/server/store/postgres/compactSeries.js';
import { openPostgresStore, type PostgresStoreOptions } from '../../src/server/store/postgres/openPostgresStore.js';
import { seriesKey } from '../../src/server/store/postgres/seriesKey.js';
import type { NewSeries, Store } from '../../src/server/store/Store.js';
import { StoreConflictError } from '../../src/server/store/StoreConflictError.js';
import { createPostgresTestDatabase, createPostgresTestStore } from '../helpers/createPostgresTestStore.js';
import { checkPostgresInvariant } from './postgresInvariant.js';
import { describeStoreConformance } from './storeConformance.js';
import { runStoreModel } from './storeModel.js';

describeStoreConformance('postgres', async () => {
  const fx = await createPostgresTestStore();
  return { ...fx, openSibling: () => openPostgresStore(fx.connectionString) };
});

describe('PostgreSQL store: the LISTEN connection', () => {
  let fx: Awaited<ReturnType<typeof createPostgresTestStore>>;
  let other: Store;
  before(async () => {
    fx = await createPostgresTestStore();
    other = await openPostgresStore(fx.connectionString);
  });
  after(async () => {
    await other.close();
    await fx.cleanup();
  });

  it('reconnects after the server drops it, and changes from other instances arrive again', async () => {
    const id = 'listenReconnect0000000';
    await fx.store.createSeries({ id, ownerId: 1, title: 't', caption: 'c', description: null, tags: [], public: false, extra: {} });
    const heard: string[] = [];
    const off = fx.store.onChange((s) => heard.push(s));
    const admin = new pg.Client({ connectionString: fx.connectionString });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query = 'LISTEN timetric_changes'`,
      );
      assert.equal(killed.rowCount, 2);
      // Notifications sent while nobody listens are lost by design; keep writing until one arrives.
      const deadline = Date.now() + 10_000;
      for (let t = 1; heard.length === 0; t++) {
        assert.ok(Date.now() < deadline, 'no change arrived after the LISTEN connection was dropped');
        await other.appendValue(id, t, t);
        await new Promise((r) => setTimeout(r, 50));
      }
      // Both stores are listening again (the other one may still be waiting for its backoff).
      for (let n = 0; n !== 2; ) {
        assert.ok(Date.now() < deadline, 'the LISTEN connections did not come back');
        const back = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN timetric_changes'`,
        );
        n = back.rows[0]!.n;
        if (n !== 2) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(heard.every((s) => s === id));
    } finally {
      off();
      await admin.end();
    }
  });
});

const newSeries = (id: string): NewSeries => ({ id, ownerId: 1, title: 't', caption: 'c', description: null, tags: [], public: false, extra: {} });
const idOf = (name: string): string => name.padEnd(22, '0').slice(0, 22);

async function readAll(store: Store, id: string): Promise<Point[]> {
  const out: Point[] = [];
  for await (const c of store.readPoints(id, {})) out.push(...c);
  return out;
}

/** Waits until `predicate` holds (background work in the store), failing after `ms`. */
async function until(predicate: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('PostgreSQL store: the model', () => {
  for (const seed of [1, 2, 3]) {
    it(`gives the model's answers after every one of 2,000 random operations, chunk invariant checked on the tables (seed ${seed})`, async () => {
      const db = await createPostgresTestDatabase();
      const check = new pg.Client({ connectionString: db.connectionString });
      await check.connect();
      // stagedRunPoints 7: out-of-order points of a staged write are read back in many runs.
      const open = (chunks: ChunkStoreOptions) => openPostgresStore(db.connectionString, { chunks, stagedRunPoints: 7 });
      try {
        await runStoreModel(open, seed, 2_000, { afterStep: (_store, id) => checkPostgresInvariant(check, id) });
      } finally {
        await check.end();
        await db.drop();
      }
    });
  }
});

describe('PostgreSQL store: chunks, head and compaction', () => {
  let db: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let admin: pg.Client;
  const opened: Store[] = [];
  const open = async (options: PostgresStoreOptions = {}): Promise<Store> => {
    const store = await openPostgresStore(db.connectionString, options);
    opened.push(store);
    return store;
  };
  const stats = async (store: Store, id: string) => (await store.storageStats!(id)).series[0]!;
  before(async () => {
    db = await createPostgresTestDatabase();
    admin = new pg.Client({ connectionString: db.connectionString });
    await admin.connect();
  });
  after(async () => {
    for (const s of opened) await s.close();
    await admin.end();
    await db.drop();
  });

  it('a sorted upload into an existing series is encoded straight into full chunks, nothing in the head, every point kept', async () => {
    // Cut by count alone (no aligned times), so the chunks are 1,000 points each.
    const store = await open({ chunks: { chunkPoints: 1_000, chunkAlign: [] } });
    const id = idOf('sortedUpload');
    await store.createSeries(newSeries(id));
    await store.appendValue(id, 1, 1);
    const w = await store.openWriter(id, 'merge');
    const points: Point[] = Array.from({ length: 10_500 }, (_, i): Point => [1_000 + i * 0.5, i % 97 === 0 ? null : Math.round(Math.sin(i) * 1e4) / 100]);
    for (let i = 0; i < points.length; i += 700) await w.stage(points.slice(i, i + 700));
    await w.commit();
    await store.compact!(id);
    assert.deepEqual(await readAll(store, id), [[1, 1], ...points]);
    const counts = (await admin.query<{ count: number }>('SELECT count FROM chunks WHERE series_key = $1 ORDER BY start_ts', [seriesKey(id)])).rows.map((r) => r.count);
    // The appended point became a short chunk of its own; the upload is full chunks but its last.
    assert.deepEqual(counts.slice(0, 11), [1, ...Array(10).fill(1_000)]);
    assert.equal(counts.reduce((a, b) => a + b), 10_501);
    assert.equal((await stats(store, id)).headPoints, 0);
    await checkPostgresInvariant(admin, id);
  });

  it('chunk bytes are kept out of line without pglz (STORAGE EXTERNAL): stored size = encoded size', async () => {
    const store = await open();
    const id = idOf('externalStorage');
    await store.createSeries(newSeries(id));
    const w = await store.openWriter(id, 'merge');
    // Full-precision doubles: chunks of tens of kilobytes, out of line.
    await w.stage(Array.from({ length: 20_000 }, (_, i): Point => [i, Math.sin(i)]));
    await w.commit();
    const storage = await admin.query<{ attstorage: string }>("SELECT attstorage FROM pg_attribute WHERE attrelid = 'chunks'::regclass AND attname = 'data'");
    assert.equal(storage.rows[0]!.attstorage, 'e');
    const sizes = await admin.query<{ stored: number; raw: number }>('SELECT pg_column_size(data) AS stored, octet_length(data) AS raw FROM chunks WHERE series_key = $1', [seriesKey(id)]);
    assert.ok(sizes.rows.length > 0);
    for (const r of sizes.rows) {
      assert.ok(r.raw > 8_000, `a chunk of ${r.raw} bytes`);
      assert.equal(r.stored, r.raw);
    }
  });

  it(`small appends land in the head; at compactHeadAt head points the series is compacted soon after, the version and change events untouched`, async () => {
    const store = await open({ chunks: { compactHeadAt: 50, compactEveryMs: 0 } });
    const id = idOf('compactBySize');
    await store.createSeries(newSeries(id));
    let heard = 0;
    const off = store.onChange((s) => s === id && heard++);
    try {
      for (let t = 0; t < 49; t++) await store.appendValue(id, t, t / 4);
      assert.deepEqual(await stats(store, id), { seriesId: id, points: 49, chunks: 0, headPoints: 49, bytes: (await stats(store, id)).bytes });
      const last = await store.appendValue(id, 49, true);
      await until(async () => (await stats(store, id)).headPoints === 0, 'the head to be compacted');
      const s = await stats(store, id);
      assert.equal(s.points, 50);
      assert.ok(s.chunks >= 1);
      assert.equal((await store.getSeriesHead(id))!.version, last.version);
      assert.equal(last.version, 50);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(heard, 50, 'one change a write, none for the compaction');
      assert.deepEqual((await readAll(store, id)).at(-1), [49, true]);
      const row = await admin.query<{ head_points: number; head_since: number | null }>('SELECT head_points, head_since FROM series WHERE id = $1', [id]);
      assert.deepEqual(row.rows[0], { head_points: 0, head_since: null });
    } finally {
      off();
    }
  });

  it('an append at a time inside a chunk rewrites that chunk (nothing in the head), one version up', async () => {
    const store = await open({ chunks: { chunkPoints: 100 } });
    const id = idOf('appendInsideChunk');
    await store.createSeries(newSeries(id));
    const w = await store.openWriter(id, 'merge');
    await w.stage(Array.from({ length: 300 }, (_, i): Point => [i, i]));
    const { version } = await w.commit();
    const a = await store.appendValue(id, 150, null);
    const b = await store.appendValue(id, 150.5, true);
    assert.deepEqual([a.version, b.version], [version + 1, version + 2]);
    assert.equal((await stats(store, id)).headPoints, 0);
    const all = await readAll(store, id);
    assert.deepEqual(all.slice(149, 153), [[149, 149], [150, null], [150.5, true], [151, 151]]);
    assert.equal(all.length, 301);
    await checkPostgresInvariant(admin, id);
  });

  it('a compaction asked for by size is skipped when the head is below compactHeadAt by the time it holds the lock (another one ran since)', async () => {
    const store = await open({ chunks: { compactHeadAt: 1_000_000, compactEveryMs: 0 } });
    const id = idOf('compactSkip');
    await store.createSeries(newSeries(id));
    for (let t = 0; t < 10; t++) await store.appendValue(id, t, t);
    const pool = new pg.Pool({ connectionString: db.connectionString, max: 1 });
    try {
      assert.equal(await compactSeries(pool, id, {}, 11), 0, 'skipped: 10 head points, 11 asked');
      assert.equal((await stats(store, id)).headPoints, 10);
      assert.equal(await compactSeries(pool, id, {}, 10), 10);
      assert.equal((await stats(store, id)).headPoints, 0);
      assert.equal(await compactSeries(pool, id, {}, 1), 0, 'head_points was reset by the compaction');
    } finally {
      await pool.end();
    }
    assert.deepEqual(await readAll(store, id), Array.from({ length: 10 }, (_, t) => [t, t]));
  });

  it('every compactEveryMs a sweep compacts the series whose head is older than that, and only those (timer in virtual time)', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    let store: Store;
    try {
      store = await openPostgresStore(db.connectionString, { chunks: { compactEveryMs: 60_000 } });
    } catch (err) {
      mock.timers.reset();
      throw err;
    }
    try {
      const aged = idOf('sweepAged');
      const fresh = idOf('sweepFresh');
      for (const id of [aged, fresh]) {
        await store.createSeries(newSeries(id));
        for (let t = 0; t < 10; t++) await store.appendValue(id, t, t);
      }
      // The age is the database's clock (one for every instance): make one head two minutes old.
      await admin.query('UPDATE series SET head_since = head_since - 120 WHERE id = $1', [aged]);
      mock.timers.tick(59_999);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await stats(store, aged)).headPoints, 10, 'no sweep before compactEveryMs');
      mock.timers.tick(1);
      await until(async () => (await stats(store, aged)).headPoints === 0, 'the sweep to compact the aged head');
      assert.equal((await stats(store, fresh)).headPoints, 10, 'the fresh head is left for later');
      assert.deepEqual(await readAll(store, aged), Array.from({ length: 10 }, (_, t) => [t, t]));
    } finally {
      await store.close();
      mock.timers.reset();
    }
  });

  it('reads running beside a compaction (and between its steps) always see every point; compaction keeps the version', async () => {
    const store = await open({ chunks: { chunkPoints: 500, chunksPerStep: 2, compactHeadAt: 100_000, compactEveryMs: 0 } });
    const id = idOf('readsBesideCompaction');
    await store.createSeries(newSeries(id));
    const w = await store.openWriter(id, 'merge');
    await w.stage(Array.from({ length: 10_000 }, (_, i): Point => [i, i]));
    await w.commit();
    const expected = new Map<number, number>(Array.from({ length: 10_000 }, (_, i) => [i, i]));
    // Head points after the last chunk and in the gaps between chunks.
    for (let k = 0; k < 300; k++) {
      const t = k < 200 ? 10_000 + k : (k - 200) * 500 + 499.5;
      await store.appendValue(id, t, -k);
      expected.set(t, -k);
    }
    const want = [...expected].sort((a, b) => a[0] - b[0]);
    assert.ok((await stats(store, id)).headPoints >= 250);
    const version = (await store.getSeriesHead(id))!.version;
    let reads = 0;
    let compacted = false;
    await Promise.all([
      store.compact!(id).then(() => (compacted = true)),
      (async () => {
        while (!compacted || reads < 3) {
          assert.deepEqual(await readAll(store, id), want);
          reads++;
        }
      })(),
    ]);
    assert.equal((await stats(store, id)).headPoints, 0);
    assert.equal((await store.getSeriesHead(id))!.version, version);
    assert.deepEqual(await readAll(store, id), want);
    await checkPostgresInvariant(admin, id);
  });

  it('two instances writing one series at once take turns on its row lock: every point lands once, chunks stay disjoint', async () => {
    const a = await open({ chunks: { chunkPoints: 200, compactHeadAt: 64 } });
    const b = await open({ chunks: { chunkPoints: 200, compactHeadAt: 64 } });
    const id = idOf('twoWriters');
    await a.createSeries(newSeries(id));
    const expected = new Map<number, number>();
    const writes: Promise<unknown>[] = [];
    for (let round = 0; round < 8; round++) {
      for (const [k, store] of [a, b].entries()) {
        // Interleaved times: each instance's writes fall inside the chunks the other one writes.
        const points = Array.from({ length: 400 }, (_, i): Point => [round * 1_000 + i * 2 + k, round * 1_000 + i + k / 2]);
        for (const [t, v] of points) expected.set(t, v as number);
        writes.push(
          (async () => {
            const w = await store.openWriter(id, 'merge');
            await w.stage(points.slice(0, 200));
            await w.stage(points.slice(200));
            await w.commit();
          })(),
        );
        const t = 10_000 + round * 2 + k;
        expected.set(t, k);
        writes.push(store.appendValue(id, t, k));
      }
    }
    await Promise.all(writes);
    const want = [...expected].sort((x, y) => x[0] - y[0]);
    await a.compact!(id);
    assert.deepEqual(await readAll(b, id), want);
    assert.equal((await a.getSeriesHead(id))!.version, 32);
    await checkPostgresInvariant(admin, id);
  });

  it('storageStats: points, chunks and head points per series; bytes sum to the point tables', async () => {
    const store = await open({ chunks: { chunkPoints: 1_000, chunkAlign: [], compactEveryMs: 0 } });
    const id = idOf('storageStats');
    await store.createSeries(newSeries(id));
    const w = await store.openWriter(id, 'merge');
    await w.stage(Array.from({ length: 5_000 }, (_, i): Point => [i, i / 100]));
    await w.commit();
    for (let t = 5_000; t < 5_010; t++) await store.appendValue(id, t, 1);
    const one = await store.storageStats!(id);
    assert.deepEqual(one.series.map(({ bytes: _bytes, ...s }) => s), [{ seriesId: id, points: 5_010, chunks: 5, headPoints: 10 }]);
    assert.ok(one.series[0]!.bytes > 0);
    const sizes = await admin.query<{ b: string }>("SELECT pg_total_relation_size('chunks') + pg_total_relation_size('head') AS b");
    assert.equal(one.databaseBytes, Number(sizes.rows[0]!.b));
    const all = await store.storageStats!();
    assert.ok(all.series.some((s) => s.seriesId === id));
    const sum = all.series.reduce((n, s) => n + s.bytes, 0);
    assert.ok(Math.abs(sum - all.databaseBytes) <= all.series.length, `Σ series bytes ${sum} vs databaseBytes ${all.databaseBytes}`);
  });

  it('an increment that would overflow a double is refused (409), and the head stays compactable', async () => {
    const store = await open();
    const id = idOf('incrementOverflow');
    await store.createSeries(newSeries(id));
    await store.increment(id, 1, 1.7e308);
    await assert.rejects(store.increment(id, 2, 1.7e308), (err: Error) => err instanceof StoreConflictError && /overflows a double/.test(err.message));
    assert.deepEqual(await store.latest(id), [1, 1.7e308]);
    await store.compact!(id);
    assert.deepEqual(await readAll(store, id), [[1, 1.7e308]]);
  });

  it('options: an impossible chunk or batch size is refused, naming the option', async () => {
    await assert.rejects(openPostgresStore(db.connectionString, { chunks: { chunkPoints: 0 } }), /chunks\.chunkPoints must be an integer from 1 to 104857, not 0/);
    await assert.rejects(openPostgresStore(db.connectionString, { chunks: { chunkPoints: 200_000 } }), /chunks\.chunkPoints/);
    await assert.rejects(openPostgresStore(db.connectionString, { migrateBatchPoints: 1.5 }), /migrateBatchPoints must be an integer/);
    await assert.rejects(openPostgresStore(db.connectionString, { chunks: { compactEveryMs: -1 } }), /chunks\.compactEveryMs/);
  });

  it('lookups of text holding NUL (which PostgreSQL text cannot hold) find nothing instead of failing', async () => {
    const store = await open();
    assert.equal(await store.getApiToken('key\0'), undefined);
    assert.equal(await store.getUserByName('\0'), undefined);
    assert.equal(await store.getConsumer('c\0'), undefined);
    assert.equal(await store.getOAuthToken('t\0'), undefined);
    assert.deepEqual(await store.searchSeries({ user: 'a\0', viewerId: null, limit: 10, offset: 0 }), []);
  });
});
