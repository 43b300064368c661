// The Store contract, as one suite that every implementation runs (SQLite and PostgreSQL).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Point } from '../../src/codec/Point.js';
import type { NewSeries, Store } from '../../src/server/store/Store.js';
import { StoreConflictError } from '../../src/server/store/StoreConflictError.js';

/** What a conformance run needs: a fresh, empty store, and how to dispose of it. */
export interface StoreFixture {
  store: Store;
  cleanup(): Promise<void>;
  /** Opens a second store on the same database, when the implementation supports several instances. */
  openSibling?: () => Promise<Store>;
}

const newId = (): string => randomBytes(16).toString('base64url').slice(0, 22);

function series(ownerId: number, patch: Partial<NewSeries> = {}): NewSeries {
  return {
    id: newId(),
    ownerId,
    title: 'Temperature',
    caption: 'Outside, north wall',
    description: null,
    tags: [],
    public: false,
    extra: {},
    ...patch,
  };
}

async function readAll(store: Store, id: string, range: { start?: number; end?: number; limit?: number } = {}, chunk?: number) {
  const chunks: Point[][] = [];
  for await (const c of store.readPoints(id, range, chunk)) chunks.push(c);
  return { chunks, points: chunks.flat() };
}

/** Waits until `predicate` holds, polling the event loop (for cross-connection notifications). */
async function until(predicate: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Runs the whole Store contract against the stores `makeStore` returns (one per `describe`).
 *
 * @param name - Shown in the test names ("sqlite", "postgres").
 * @param makeStore - Creates a fresh, empty, migrated store.
 */
export function describeStoreConformance(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`Store conformance: ${name}`, () => {
    let fx: StoreFixture;
    let store: Store;
    let alice: number;
    let bob: number;

    before(async () => {
      fx = await makeStore();
      store = fx.store;
      alice = (await store.createUser('alice', 'scrypt$x$y')).id;
      bob = (await store.createUser('bob', 'scrypt$x$y')).id;
    });
    after(() => fx.cleanup());

    describe('series', () => {
      it('creates, reads and deletes a series with its metadata verbatim', async () => {
        const s = series(alice, { description: 'desc', tags: ['a', 'B'], public: true, extra: { unit: '°C', x: '' } });
        const created = await store.createSeries(s);
        assert.equal(created.version, 0);
        assert.equal(typeof created.createdAt, 'number');
        assert.ok(Math.abs(created.createdAt - Date.now() / 1000) < 60);
        const got = await store.getSeries(s.id);
        assert.deepEqual(got, created);
        assert.deepEqual({ ...got, createdAt: 0, version: 0 }, { ...s, createdAt: 0, version: 0 });
        await store.appendValue(s.id, 1, 1);
        assert.equal(await store.deleteSeries(s.id), true);
        assert.equal(await store.getSeries(s.id), undefined);
        assert.deepEqual((await readAll(store, s.id)).points, []);
        assert.equal(await store.latest(s.id), undefined);
        assert.equal(await store.deleteSeries(s.id), false);
      });

      it('refuses writes to a series that does not exist', async () => {
        const id = newId();
        await assert.rejects(async () => store.appendValue(id, 1, 1), StoreConflictError);
        await assert.rejects(async () => store.increment(id, 1, 1), StoreConflictError);
        const w = await store.openWriter(id, 'merge');
        await w.stage([[1, 1]]);
        await assert.rejects(w.commit(), StoreConflictError);
        assert.deepEqual((await readAll(store, id)).points, []);
      });

      it('search: sees own and public series only, matches text, owner and every tag', async () => {
        const mine = await store.createSeries(series(alice, { title: 'Zebra crossings 50%', tags: ['Road', 'count'] }));
        const pub = await store.createSeries(series(bob, { title: 'Bob public', caption: 'zebra', public: true, tags: ['road'] }));
        const priv = await store.createSeries(series(bob, { title: 'Bob private zebra', tags: ['road'] }));
        const ids = async (q: Partial<Parameters<Store['searchSeries']>[0]>) =>
          (await store.searchSeries({ viewerId: alice, limit: 100, offset: 0, ...q })).map((s) => s.id);
        const zebra = await ids({ q: 'ZEBRA' });
        assert.ok(zebra.includes(mine.id) && zebra.includes(pub.id) && !zebra.includes(priv.id));
        assert.deepEqual(await ids({ q: '50%' }), [mine.id]);
        assert.deepEqual(await ids({ q: '_' }), []);
        assert.deepEqual(await ids({ q: 'zebra', user: 'bob' }), [pub.id]);
        assert.deepEqual(await ids({ q: 'zebra', tags: ['road', 'COUNT'] }), [mine.id]);
        const anonymous = await ids({ q: 'zebra', viewerId: null });
        assert.deepEqual(anonymous, [pub.id]);
        const bobSees = await ids({ q: 'zebra', viewerId: bob });
        assert.ok(bobSees.includes(priv.id) && bobSees.includes(pub.id) && !bobSees.includes(mine.id));
        assert.deepEqual(await ids({ q: 'zebra', limit: 1, offset: 0 }), [zebra[0]]);
        assert.deepEqual(await ids({ q: 'zebra', limit: 1, offset: 1 }), [zebra[1]]);
        assert.deepEqual(await ids({ q: 'zebra', user: 'nobody' }), []);
      });

      it('search matches within one field or one tag, in Unicode lower case, and pages past its scan batches', async () => {
        const mark = newId();
        const tagged = await store.createSeries(series(alice, { title: `${mark} kein Ärger`, tags: ['ab', 'cd'], description: 'end' }));
        const ids = async (q: Partial<Parameters<Store['searchSeries']>[0]>) =>
          (await store.searchSeries({ viewerId: alice, limit: 100, offset: 0, ...q })).map((s) => s.id);
        assert.deepEqual(await ids({ q: `${mark} KEIN äRGER` }), [tagged.id]);
        assert.deepEqual(await ids({ q: 'CD', tags: ['AB'] }), [tagged.id]);
        // Not across fields or tags, nor the syntax a store keeps tags in.
        for (const q of ['b,c', '","', 'ab cd', '["ab', 'ärgerend']) {
          assert.ok(!(await ids({ q })).includes(tagged.id), q);
        }
        const many = [];
        for (let i = 0; i < 450; i++) many.push(await store.createSeries(series(bob, { caption: `${mark} batch`, public: true })));
        // Oldest first; series created in the same instant by id (the scan's cursor is the pair).
        many.sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
        const page = await store.searchSeries({ q: `${mark} batch`, viewerId: null, limit: 100, offset: 300 });
        assert.deepEqual(page.map((s) => s.id), many.slice(300, 400).map((s) => s.id));
        assert.equal((await store.searchSeries({ q: `${mark} batch`, viewerId: null, limit: 100, offset: 400 })).length, 50);
        // What search lists carries everything but the extra fields.
        assert.deepEqual(Object.keys(page[0]!).sort(), ['caption', 'createdAt', 'description', 'id', 'ownerId', 'public', 'tags', 'title', 'version']);
      });

      it('getSeriesHead and latestWithVersion: owner, visibility and version without the metadata, the latest point of the same snapshot', async () => {
        const s = await store.createSeries(series(alice, { public: true, description: 'd'.repeat(10_000), extra: { big: 'x'.repeat(60_000) } }));
        assert.deepEqual(await store.getSeriesHead(s.id), { id: s.id, ownerId: alice, public: true, version: 0 });
        assert.deepEqual(await store.latestWithVersion(s.id), { version: 0, latest: undefined });
        const first = await store.appendValue(s.id, 5, 1.5);
        const second = await store.appendValue(s.id, 3, true);
        assert.deepEqual(await store.getSeriesHead(s.id), { id: s.id, ownerId: alice, public: true, version: second.version });
        assert.ok(second.version > first.version);
        assert.deepEqual(await store.latestWithVersion(s.id), { version: second.version, latest: [5, 1.5] });
        const w = await store.openWriter(s.id, 'merge');
        await w.stage([[9, null]]);
        const committed = await w.commit();
        assert.deepEqual(await store.latestWithVersion(s.id), { version: committed.version, latest: [9, null] });
        assert.equal((await store.getSeries(s.id))?.extra.big?.length, 60_000);
        await store.deleteSeries(s.id);
        assert.equal(await store.getSeriesHead(s.id), undefined);
        assert.equal(await store.latestWithVersion(s.id), undefined);
        assert.equal(await store.getSeriesHead(newId()), undefined);
      });
    });

    describe('points', () => {
      it('round-trips numbers, true, false and null exactly', async () => {
        const s = await store.createSeries(series(alice));
        const values = [0, -1.5, 1e-300, 1.7976931348623157e308, 0.1 + 0.2, 123456789.12345679, Number.MIN_VALUE, true, false, null];
        for (let i = 0; i < values.length; i++) await store.appendValue(s.id, 1_000 + i, values[i]!);
        const w = await store.openWriter(s.id, 'merge');
        await w.stage(values.map((v, i): Point => [2_000 + i + 0.25, v]));
        await w.commit();
        const { points } = await readAll(store, s.id);
        assert.deepEqual(
          points.map((p) => p[1]),
          [...values, ...values],
        );
        assert.deepEqual(points[10]![0], 2_000.25);
        assert.deepEqual(await store.latest(s.id), [2_009.25, null]);
      });

      it('reads ranges (start inclusive, end exclusive), limits and chunks in ascending order', async () => {
        const s = await store.createSeries(series(alice));
        const w = await store.openWriter(s.id, 'merge');
        await w.stage(Array.from({ length: 25 }, (_, i): Point => [100 - i * 2, i]));
        await w.commit();
        const all = (await readAll(store, s.id)).points.map((p) => p[0]);
        assert.deepEqual(all, Array.from({ length: 25 }, (_, i) => 52 + i * 2));
        assert.deepEqual((await readAll(store, s.id, { start: 60, end: 70 })).points.map((p) => p[0]), [60, 62, 64, 66, 68]);
        assert.deepEqual((await readAll(store, s.id, { start: 59.5, end: 60 })).points, []);
        assert.deepEqual((await readAll(store, s.id, { start: 60, limit: 3 })).points.map((p) => p[0]), [60, 62, 64]);
        assert.deepEqual((await readAll(store, s.id, { end: 55 })).points.map((p) => p[0]), [52, 54]);
        const chunked = await readAll(store, s.id, {}, 7);
        assert.deepEqual(chunked.chunks.map((c) => c.length), [7, 7, 7, 4]);
        assert.deepEqual(chunked.points.map((p) => p[0]), all);
        const limited = await readAll(store, s.id, { limit: 10 }, 4);
        assert.deepEqual(limited.chunks.map((c) => c.length), [4, 4, 2]);
        const exact = await readAll(store, s.id, {}, 5);
        assert.deepEqual(exact.chunks.map((c) => c.length), [5, 5, 5, 5, 5]);
        assert.deepEqual((await readAll(store, newId())).chunks, []);
      });

      it('appendValue replaces a point at the same time and bumps the version', async () => {
        const s = await store.createSeries(series(alice));
        const a = await store.appendValue(s.id, 10, 1);
        const b = await store.appendValue(s.id, 10, false);
        assert.deepEqual(a.point, [10, 1]);
        assert.deepEqual(b.point, [10, false]);
        assert.ok(b.version > a.version);
        assert.deepEqual((await readAll(store, s.id)).points, [[10, false]]);
        assert.equal((await store.getSeries(s.id))!.version, b.version);
      });

      it('increment adds to the latest value (0 on an empty series) and refuses a non-number', async () => {
        const s = await store.createSeries(series(alice));
        assert.deepEqual((await store.increment(s.id, 1, 2.5)).point, [1, 2.5]);
        assert.deepEqual((await store.increment(s.id, 2, -1)).point, [2, 1.5]);
        assert.deepEqual((await store.increment(s.id, 2, 1)).point, [2, 2.5]);
        for (const v of [true, false, null]) {
          await store.appendValue(s.id, 10, v);
          await assert.rejects(async () => store.increment(s.id, 11, 1), StoreConflictError);
        }
        assert.deepEqual(await store.latest(s.id), [10, null]);
        assert.equal((await readAll(store, s.id)).points.length, 3);
      });

      it('concurrent increments never lose an update', async () => {
        const s = await store.createSeries(series(alice));
        const stores = fx.openSibling ? [store, await fx.openSibling()] : [store];
        try {
          await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % stores.length]!.increment(s.id, 5, 1)));
          assert.deepEqual(await store.latest(s.id), [5, 40]);
          assert.equal((await store.getSeries(s.id))!.version, 40);
        } finally {
          if (stores[1]) await stores[1].close();
        }
      });
      // Instances' clocks differ, a stamped increment may wait for the lock behind a later one, and
      // a point may have been written in the future: an increment stamped before the latest point
      // lands on it instead, so no update hides behind it (both stores).
      it('an increment stamped before the latest point lands on it, so no update hides behind it', async () => {
        const s = await store.createSeries(series(alice));
        await store.increment(s.id, 100, 1);
        assert.deepEqual((await store.increment(s.id, 99.5, 1)).point, [100, 2]);
        assert.deepEqual((await store.increment(s.id, 101, 1)).point, [101, 3]);
        assert.deepEqual((await readAll(store, s.id)).points, [[100, 2], [101, 3]]);
      });
    });

    describe('staged writes', () => {
      it('merge: nothing is visible before commit, then everything at once; last point per time wins', async () => {
        const s = await store.createSeries(series(alice));
        await store.appendValue(s.id, 1, 100);
        await store.appendValue(s.id, 50, 100);
        const w = await store.openWriter(s.id, 'merge');
        await w.stage([[3, 3], [1, 1]]);
        await w.stage([[2, 2], [3, 30], [2, true]]);
        assert.deepEqual((await readAll(store, s.id)).points, [[1, 100], [50, 100]]);
        const result = await w.commit();
        assert.equal(result.points, 5);
        assert.equal(result.version, (await store.getSeries(s.id))!.version);
        assert.deepEqual((await readAll(store, s.id)).points, [[1, 1], [2, true], [3, 30], [50, 100]]);
        await w.abort();
        await assert.rejects(w.commit());
        await assert.rejects(w.stage([[9, 9]]));
      });

      it('replace swaps the whole history', async () => {
        const s = await store.createSeries(series(alice));
        await store.appendValue(s.id, 1, 1);
        await store.appendValue(s.id, 99, 1);
        const w = await store.openWriter(s.id, 'replace');
        await w.stage([[5, 5], [6, null], [5, 50]]);
        await w.commit();
        assert.deepEqual((await readAll(store, s.id)).points, [[5, 50], [6, null]]);
        const empty = await store.openWriter(s.id, 'replace');
        await empty.commit();
        assert.deepEqual((await readAll(store, s.id)).points, []);
      });

      it('create: the series exists only once the write commits', async () => {
        const s = series(alice, { title: 'created by upload', tags: ['t'] });
        const w = await store.openWriter(s.id, 'merge', s);
        await w.stage([[1, 1], [2, 2]]);
        assert.equal(await store.getSeries(s.id), undefined);
        const { points, version } = await w.commit();
        assert.equal(points, 2);
        const got = await store.getSeries(s.id);
        assert.equal(got?.title, 'created by upload');
        assert.equal(got.version, version);
        assert.deepEqual((await readAll(store, s.id)).points, [[1, 1], [2, 2]]);

        const aborted = series(alice);
        const w2 = await store.openWriter(aborted.id, 'replace', aborted);
        await w2.stage([[1, 1]]);
        await w2.abort();
        assert.equal(await store.getSeries(aborted.id), undefined);

        const taken = await store.openWriter(s.id, 'merge', { ...s });
        await taken.stage([[7, 7]]);
        await assert.rejects(taken.commit());
        assert.deepEqual((await readAll(store, s.id)).points, [[1, 1], [2, 2]]);
      });

      it('create: points out of order after an ascending run still merge, the last per time winning', async () => {
        const s = series(alice);
        const w = await store.openWriter(s.id, 'merge', s);
        await w.stage([[1, 1], [2, 2], [3, 3]]);
        await w.stage([[4, 4], [2, 20], [0, 0]]);
        await w.stage([[2, 21], [5, false], [3, null]]);
        assert.equal((await w.commit()).points, 9);
        assert.deepEqual((await readAll(store, s.id)).points, [[0, 0], [1, 1], [2, 21], [3, null], [4, 4], [5, false]]);
      });

      it('abort applies nothing and is safe twice; the store keeps working', async () => {
        const s = await store.createSeries(series(alice));
        await store.appendValue(s.id, 1, 1);
        const before = (await store.getSeries(s.id))!.version;
        const w = await store.openWriter(s.id, 'replace');
        await w.stage(Array.from({ length: 5_000 }, (_, i): Point => [i, i]));
        await w.abort();
        await w.abort();
        await assert.rejects(w.commit());
        assert.deepEqual((await readAll(store, s.id)).points, [[1, 1]]);
        assert.equal((await store.getSeries(s.id))!.version, before);
        const never = await store.openWriter(s.id, 'merge');
        await never.abort();
        await store.appendValue(s.id, 2, 2);
        assert.deepEqual(await store.latest(s.id), [2, 2]);
      });

      it('writers give their resources back: 60 aborted or failed writes, then the store still works', async () => {
        const s = await store.createSeries(series(alice));
        for (let i = 0; i < 60; i++) {
          const w = await store.openWriter(i % 3 === 2 ? newId() : s.id, 'merge');
          await w.stage([[i, i], [i - 0.5, i]]);
          if (i % 3 === 0) await w.abort();
          else if (i % 3 === 1) await assert.rejects(w.stage([[Number.NaN, 1]]).then(() => w.commit()));
          else await assert.rejects(w.commit(), StoreConflictError);
        }
        await store.appendValue(s.id, 1_000, 1);
        const ok = await store.openWriter(s.id, 'merge');
        await ok.stage([[1_001, 2]]);
        await ok.commit();
        const points = (await readAll(store, s.id)).points;
        assert.deepEqual(points, [[1_000, 1], [1_001, 2]]);
      });

      it('a write to a series deleted meanwhile fails and applies nothing', async () => {
        const s = await store.createSeries(series(alice));
        const w = await store.openWriter(s.id, 'merge');
        await w.stage([[1, 1]]);
        await store.deleteSeries(s.id);
        await assert.rejects(w.commit(), StoreConflictError);
        assert.deepEqual((await readAll(store, s.id)).points, []);
      });

      it('stages a big write (300,000 points in pieces, some out of order) and commits it whole', async () => {
        const s = await store.createSeries(series(alice));
        await store.appendValue(s.id, 150_000, -1);
        const w = await store.openWriter(s.id, 'merge');
        const n = 300_000;
        for (let start = 0; start < n; start += 10_000) {
          await w.stage(Array.from({ length: 10_000 }, (_, i): Point => [start + i, (start + i) % 7 === 0 ? null : start + i]));
        }
        await w.stage([[10, true]]);
        assert.equal((await readAll(store, s.id)).points.length, 1);
        assert.equal((await w.commit()).points, n + 1);
        let count = 0;
        let last = -1;
        let maxChunk = 0;
        for await (const chunk of store.readPoints(s.id, {})) {
          maxChunk = Math.max(maxChunk, chunk.length);
          for (const [t, v] of chunk) {
            assert.ok(t > last);
            last = t;
            if (t === 10) assert.equal(v, true);
            else assert.equal(v, t % 7 === 0 ? null : t);
            count++;
          }
        }
        assert.equal(count, n);
        assert.equal(maxChunk, 10_000);
      });

      it('several writers to different series at once all commit', async () => {
        const all = await Promise.all(Array.from({ length: 4 }, () => store.createSeries(series(alice))));
        const writers = await Promise.all(all.map((s) => store.openWriter(s.id, 'merge')));
        for (let round = 0; round < 3; round++) {
          await Promise.all(writers.map((w, k) => w.stage([[round, k]])));
        }
        await Promise.all(writers.map((w) => w.commit()));
        for (const [k, s] of all.entries()) {
          assert.deepEqual((await readAll(store, s.id)).points, [[0, k], [1, k], [2, k]]);
        }
      });
    });

    describe('onChange', () => {
      it('tells listeners about appends, increments, commits and deletions, not aborts', async () => {
        const s = await store.createSeries(series(alice));
        const seen: string[] = [];
        const off = store.onChange((id) => {
          if (id === s.id) seen.push(id);
        });
        const throwing = store.onChange(() => {
          throw new Error('a broken listener');
        });
        await store.appendValue(s.id, 1, 1);
        await store.increment(s.id, 2, 1);
        const w = await store.openWriter(s.id, 'merge');
        await w.stage([[3, 3]]);
        await w.commit();
        const a = await store.openWriter(s.id, 'merge');
        await a.stage([[4, 4]]);
        await a.abort();
        await store.deleteSeries(s.id);
        off();
        throwing();
        await store.deleteSeries(s.id);
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(seen.length, 4);
      });

      if (name === 'postgres') {
        it('hears changes committed by another instance on the same database, once each', async () => {
          assert.ok(fx.openSibling);
          const other = await fx.openSibling();
          try {
            const s = await store.createSeries(series(alice));
            const here: string[] = [];
            const there: string[] = [];
            const offHere = store.onChange((id) => id === s.id && here.push(id));
            const offThere = other.onChange((id) => id === s.id && there.push(id));
            await other.appendValue(s.id, 1, 1);
            const w = await other.openWriter(s.id, 'merge');
            await w.stage([[2, 2]]);
            await w.commit();
            await until(() => here.length === 2, 'the first instance to hear both changes');
            await store.appendValue(s.id, 3, 3);
            await until(() => there.length === 3, 'the second instance to hear the third change');
            await new Promise((r) => setTimeout(r, 100));
            assert.equal(here.length, 3);
            assert.equal(there.length, 3);
            offHere();
            offThere();
          } finally {
            await other.close();
          }
        });
      }
    });

    describe('auth', () => {
      it('users: unique names, lookups by name and id', async () => {
        const u = await store.createUser('carol', 'scrypt$a$b');
        assert.equal(u.name, 'carol');
        assert.deepEqual(await store.getUserByName('carol'), u);
        assert.deepEqual(await store.getUserById(u.id), u);
        assert.equal(await store.getUserByName('nobody'), undefined);
        assert.equal(await store.getUserById(987654), undefined);
        await assert.rejects(store.createUser('carol', 'scrypt$c$d'), StoreConflictError);
        assert.notEqual(alice, bob);
        assert.deepEqual(await store.getUserNames([bob, u.id, 987654, bob]), new Map([[bob, 'bob'], [u.id, 'carol']]), 'one lookup; unknown ids left out');
        assert.deepEqual(await store.getUserNames([]), new Map());
      });

      it('API tokens: create, list (all or per user, in creation order), revoke once', async () => {
        const t1 = await store.createApiToken({ key: 'k1', userId: alice, name: 'laptop', secretHash: 'h1' });
        const t2 = await store.createApiToken({ key: 'k2', userId: bob, name: 'sensor', secretHash: 'h2' });
        const t3 = await store.createApiToken({ key: 'k3', userId: alice, name: 'phone', secretHash: 'h3' });
        assert.equal(t1.revokedAt, null);
        assert.deepEqual(await store.getApiToken('k1'), t1);
        assert.equal(await store.getApiToken('nope'), undefined);
        assert.deepEqual((await store.listApiTokens(alice)).map((t) => t.key), ['k1', 'k3']);
        assert.deepEqual((await store.listApiTokens()).map((t) => t.key), ['k1', 'k2', 'k3']);
        assert.equal(await store.revokeApiToken('k1'), true);
        assert.equal(await store.revokeApiToken('k1'), false);
        assert.equal(await store.revokeApiToken('nope'), false);
        assert.equal(typeof (await store.getApiToken('k1'))!.revokedAt, 'number');
        assert.deepEqual(await store.getApiToken('k2'), t2);
        assert.deepEqual((await store.getApiToken('k3'))?.name, t3.name);
      });

      it('consumers: create, get, list', async () => {
        const c = await store.createConsumer({ key: 'ck', secret: 's&=', name: 'app', callback: 'https://x/cb' });
        const d = await store.createConsumer({ key: 'ck2', secret: 's2', name: 'cli', callback: null });
        assert.deepEqual(await store.getConsumer('ck'), c);
        assert.equal(await store.getConsumer('nope'), undefined);
        assert.deepEqual(
          (await store.listConsumers()).map((x) => x.key),
          [c.key, d.key],
        );
      });

      it('OAuth tokens: save, get, update the verifier/user, delete', async () => {
        const expiresAt = Date.now() / 1000 + 600;
        const t = await store.saveOAuthToken({
          token: 'rt',
          secret: 'rs',
          consumerKey: 'ck',
          kind: 'request',
          userId: null,
          callback: 'oob',
          verifier: null,
          expiresAt,
        });
        assert.equal(t.expiresAt, expiresAt);
        assert.deepEqual(await store.getOAuthToken('rt'), t);
        await store.updateOAuthToken('rt', { userId: alice, verifier: 'v1' });
        await store.updateOAuthToken('rt', {});
        const updated = await store.getOAuthToken('rt');
        assert.equal(updated?.userId, alice);
        assert.equal(updated.verifier, 'v1');
        assert.equal(updated.callback, 'oob');
        const access = await store.saveOAuthToken({
          token: 'at',
          secret: 'as',
          consumerKey: 'ck',
          kind: 'access',
          userId: alice,
          callback: null,
          verifier: null,
          expiresAt: null,
        });
        assert.deepEqual(await store.getOAuthToken('at'), access);
        assert.deepEqual(await store.listOAuthAccessTokens(), [access], 'access tokens only, not request tokens');
        assert.deepEqual(await store.listOAuthAccessTokens(alice), [access]);
        assert.deepEqual(await store.listOAuthAccessTokens(alice + 1000), []);
        await store.deleteOAuthToken('rt');
        await store.deleteOAuthToken('rt');
        assert.equal(await store.getOAuthToken('rt'), undefined);
        await store.deleteOAuthToken('at');
        assert.deepEqual(await store.listOAuthAccessTokens(), []);
      });

      it('consumeRequestToken: deletes an authorized request token once; concurrent calls (on sibling stores) admit one', async () => {
        const token = (name: string, kind: 'request' | 'access', userId: number | null) =>
          store.saveOAuthToken({ token: name, secret: 's', consumerKey: 'ck', kind, userId, callback: null, verifier: null, expiresAt: null });
        await token('waiting', 'request', null);
        assert.equal(await store.consumeRequestToken('waiting'), false, 'not authorized yet');
        assert.ok(await store.getOAuthToken('waiting'), 'and left as it was');
        await token('granted', 'access', alice);
        assert.equal(await store.consumeRequestToken('granted'), false, 'an access token is never consumed');
        assert.equal(await store.consumeRequestToken('nobody'), false);
        assert.equal(await store.consumeRequestToken('no\u0000body'), false, 'a token holding NUL is simply unknown');
        await token('ready', 'request', alice);
        assert.equal(await store.consumeRequestToken('ready'), true);
        assert.equal(await store.getOAuthToken('ready'), undefined);
        assert.equal(await store.consumeRequestToken('ready'), false, 'once');
        await token('raced', 'request', alice);
        const stores = fx.openSibling ? [store, await fx.openSibling()] : [store];
        try {
          const results = await Promise.all(Array.from({ length: 10 }, (_, i) => stores[i % stores.length]!.consumeRequestToken('raced')));
          assert.equal(results.filter(Boolean).length, 1);
        } finally {
          if (stores[1]) await stores[1].close();
        }
        await store.deleteOAuthToken('waiting');
        await store.deleteOAuthToken('granted');
      });

      it('nonces: a second use is refused, per consumer and token; concurrent uses admit one', async () => {
        const ts = Math.floor(Date.now() / 1000);
        assert.equal(await store.useNonce('ck', 'at', 'n1', ts, 300), true);
        assert.equal(await store.useNonce('ck', 'at', 'n1', ts, 300), false);
        assert.equal(await store.useNonce('ck', 'other', 'n1', ts, 300), true);
        assert.equal(await store.useNonce('ck2', 'at', 'n1', ts, 300), true);
        assert.equal(await store.useNonce('ck', '', 'n1', ts, 300), true);
        // Any string is a nonce, NUL and backslashes included, and distinct strings stay distinct.
        assert.equal(await store.useNonce('ck', 'at', '\u0000exchange', ts, 300), true);
        assert.equal(await store.useNonce('ck', 'at', '\\0exchange', ts, 300), true);
        assert.equal(await store.useNonce('ck', 'at', '\u0000exchange', ts, 300), false);
        assert.equal(await store.useNonce('ck', 'at', '\\0exchange', ts, 300), false);
        const stores = fx.openSibling ? [store, await fx.openSibling()] : [store];
        try {
          const results = await Promise.all(
            Array.from({ length: 10 }, (_, i) => stores[i % stores.length]!.useNonce('ck', 'at', 'race', ts, 300)),
          );
          assert.equal(results.filter(Boolean).length, 1);
        } finally {
          if (stores[1]) await stores[1].close();
        }
      });
    });

    it('migrate() is idempotent', async () => {
      await store.migrate();
      await store.migrate();
      assert.equal((await store.getUserById(alice))?.name, 'alice');
    });
  });
}
