// A model-based property check of the Store contract's points, store-independent: a seeded random
// sequence of operations (appends, increments, staged out-of-order merges, PUT-style replaces,
// create-by-upload, deletes and re-creates, aborted and failing writes, range reads with
// start/end/limit, pageEnd, latest, latestWithVersion and compactions at random moments) runs
// against a store and against a plain in-memory model, and after every step the store must give
// the model's answer. Small chunk options make chunks, heads and their seams appear within a few
// dozen points. spec/store/sqlite.spec.ts and spec/store/postgres.spec.ts call runStoreModel.
import assert from 'node:assert/strict';
import type { Point, PointValue } from '../../src/codec/Point.js';
import type { ChunkStoreOptions } from '../../src/server/store/chunks/chunkStoreOptions.js';
import { logCompactionFailure } from '../../src/server/store/chunks/logCompactionFailure.js';
import type { NewSeries, PointRange, Store } from '../../src/server/store/Store.js';
import { StoreConflictError } from '../../src/server/store/StoreConflictError.js';
import { seededRandom } from '../helpers/seededRandom.js';

/** Chunk options small enough that a model run crosses many chunks, heads and compactions. */
export const MODEL_CHUNK_OPTIONS = {
  chunkPoints: 16,
  // Cuts at multiples of 10 s (16 points of the model's mostly 1 s steps span about 15 s), so
  // every run also checks that aligned cuts leave every read as the model's.
  chunkAlign: [40, 10, 5],
  headWritePoints: 4,
  compactHeadAt: 24,
  chunksPerStep: 3,
  compactEveryMs: 0,
  onCompactionFailure: logCompactionFailure,
} satisfies Required<ChunkStoreOptions>;

/** Hooks of {@link runStoreModel}. */
export interface StoreModelHooks {
  /** Disposes of the store `open` returned (default `store.close()`). */
  close?: (store: Store) => Promise<void>;
  /** Runs after every step with the series touched (e.g. a store's own invariant check). */
  afterStep?: (store: Store, seriesId: string) => Promise<void> | void;
}

interface ModelSeries {
  id: string;
  exists: boolean;
  points: Map<number, PointValue>;
  version: number;
}


const sorted = (points: Map<number, PointValue>): Point[] => [...points].sort((a, b) => a[0] - b[0]);

function inRange(points: Map<number, PointValue>, range: PointRange): Point[] {
  const all = sorted(points).filter(([t]) => (range.start === undefined || t >= range.start) && (range.end === undefined || t < range.end));
  return range.limit === undefined ? all : all.slice(0, range.limit);
}

/**
 * Runs `ops` seeded random operations on a fresh store and on a model, comparing after each.
 * Failures name the seed and the step, so `runStoreModel(open, seed, step + 1)` replays them.
 *
 * @param open - Opens a fresh, empty, migrated store with these chunk options.
 * @param seed - Seeds the operation sequence.
 * @param ops - How many operations.
 * @param hooks - Optional close and per-step check.
 */
export async function runStoreModel(open: (chunks: ChunkStoreOptions) => Promise<Store>, seed: number, ops: number, hooks: StoreModelHooks = {}): Promise<void> {
  const random = seededRandom(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const store = await open(MODEL_CHUNK_OPTIONS);
  const heard = new Map<string, number>();
  const off = store.onChange((id) => heard.set(id, (heard.get(id) ?? 0) + 1));
  let expectedChanges = 0;
  try {
    const owner = (await store.createUser(`model${seed}-${Date.now()}`, 'scrypt$x$y')).id;
    const meta = (id: string): NewSeries => ({ id, ownerId: owner, title: 'model', caption: '', description: null, tags: [], public: false, extra: {} });
    const all: ModelSeries[] = [];
    for (let i = 0; i < 3; i++) {
      const id = `model${String(seed).padStart(6, '0')}series${i}`.slice(0, 22).padEnd(22, 'x');
      await store.createSeries(meta(id));
      all.push({ id, exists: true, points: new Map(), version: 0 });
    }
    const value = (): PointValue => {
      const r = random();
      if (r < 0.04) return null;
      if (r < 0.07) return true;
      if (r < 0.09) return false;
      if (r < 0.1) return [-0, 1.7976931348623157e308, 5e-324, -1e-300, 0.1 + 0.2][int(5)]!;
      return Math.round((random() - 0.3) * 100_000) / 100;
    };
    // Mostly integers near the end (appends), some fractions, a few far back (before 1970 too).
    const time = (s: ModelSeries): number => {
      const r = random();
      const top = s.points.size ? Math.max(...s.points.keys()) : 0;
      if (r < 0.5) return top + 1 + int(3);
      if (r < 0.8) return int(Math.max(8, top + 4));
      if (r < 0.95) return int(Math.max(8, top + 4)) + [0.25, 0.5, 0.125][int(3)]!;
      return -int(50) - 0.5;
    };
    const latestOf = (s: ModelSeries): Point | undefined => {
      const pts = sorted(s.points);
      return pts[pts.length - 1];
    };
    const wrote = (s: ModelSeries, version: number, step: string): void => {
      s.version++;
      expectedChanges++;
      assert.equal(version, s.version, `${step}: the version rises by one a write`);
    };
    const bigWrite = (s: ModelSeries): Point[] => {
      // A run in order with some points again and some out of order, in the write's arrival order.
      const n = random() < 0.3 ? 1 + int(4) : 5 + int(random() < 0.2 ? 300 : 60);
      const base = random() < 0.6 ? (latestOf(s)?.[0] ?? 0) + 1 : int(Math.max(8, s.points.size + 8));
      const out: Point[] = [];
      for (let i = 0; i < n; i++) {
        const t = random() < 0.75 ? base + i : base + int(n * 2) - int(4) + (random() < 0.2 ? 0.5 : 0);
        out.push([t, value()]);
      }
      return out;
    };

    for (let step = 0; step < ops; step++) {
      const s = all[int(all.length)]!;
      const r = random();
      const what = `seed ${seed} step ${step}`;
      if (!s.exists) {
        if (r < 0.2) {
          await assert.rejects(store.appendValue(s.id, 1, 1), StoreConflictError, `${what}: append to a deleted series`);
        } else if (r < 0.6) {
          await store.createSeries(meta(s.id));
          s.exists = true;
          s.version = 0;
        } else {
          // Created by an upload: all or nothing.
          const points = bigWrite(s);
          const w = await store.openWriter(s.id, random() < 0.5 ? 'merge' : 'replace', meta(s.id));
          await w.stage(points);
          const { version } = await w.commit();
          s.exists = true;
          s.version = 0;
          for (const [t, v] of points) s.points.set(t, v);
          wrote(s, version, `${what} create by upload`);
        }
      } else if (r < 0.22) {
        const t = time(s);
        const v = value();
        const { point, version } = await store.appendValue(s.id, t, v);
        assert.deepEqual(point, [t, v], `${what}: appendValue`);
        s.points.set(t, v);
        wrote(s, version, `${what} appendValue`);
      } else if (r < 0.34) {
        const t = random() < 0.7 ? (latestOf(s)?.[0] ?? 0) + int(3) : time(s);
        const delta = [1, -2, 0.5, 10][int(4)]!;
        const latest = latestOf(s);
        if (latest && typeof latest[1] !== 'number') {
          await assert.rejects(store.increment(s.id, t, delta), StoreConflictError, `${what}: increment on ${String(latest[1])}`);
        } else {
          const at = latest && latest[0] > t ? latest[0] : t;
          const expected: Point = [at, latest ? (latest[1] as number) + delta : delta];
          const { point, version } = await store.increment(s.id, t, delta);
          assert.deepEqual(point, expected, `${what}: increment ${delta} at ${t}`);
          s.points.set(at, expected[1]);
          wrote(s, version, `${what} increment`);
        }
      } else if (r < 0.56) {
        // A staged write, in pieces: merge (POST) or replace (PUT); sometimes aborted.
        const mode = random() < 0.8 ? 'merge' : 'replace';
        const points = bigWrite(s);
        const w = await store.openWriter(s.id, mode);
        for (let from = 0; from < points.length; ) {
          const to = from + 1 + int(40);
          await w.stage(points.slice(from, to));
          from = to;
        }
        if (random() < 0.1) {
          await w.abort();
        } else {
          const { points: count, version } = await w.commit();
          assert.equal(count, points.length, `${what}: points staged`);
          if (mode === 'replace') s.points.clear();
          for (const [t, v] of points) s.points.set(t, v);
          wrote(s, version, `${what} ${mode}`);
        }
      } else if (r < 0.58) {
        // A write whose series is deleted before it commits applies nothing.
        const w = await store.openWriter(s.id, 'merge');
        await w.stage(bigWrite(s));
        assert.equal(await store.deleteSeries(s.id), true);
        expectedChanges++;
        s.exists = false;
        s.points.clear();
        await assert.rejects(w.commit(), StoreConflictError, `${what}: commit after delete`);
      } else if (r < 0.61) {
        assert.equal(await store.deleteSeries(s.id), true, `${what}: deleteSeries`);
        expectedChanges++;
        s.exists = false;
        s.points.clear();
      } else if (r < 0.68) {
        const before = (await store.getSeriesHead(s.id))?.version;
        await store.compact?.(random() < 0.7 ? s.id : undefined);
        assert.equal((await store.getSeriesHead(s.id))?.version, before, `${what}: compaction keeps the version`);
      } else {
        // A range read.
        const top = latestOf(s)?.[0] ?? 10;
        const range: PointRange = {};
        if (random() < 0.6) range.start = int(top + 5) - 3 + (random() < 0.2 ? 0.5 : 0);
        if (random() < 0.6) range.end = (range.start ?? 0) + int(top + 5);
        if (random() < 0.4) range.limit = 1 + int(40);
        const chunkSize = 1 + int(random() < 0.5 ? 7 : 200);
        const expected = inRange(s.points, range);
        const chunks: Point[][] = [];
        for await (const c of store.readPoints(s.id, range, chunkSize)) chunks.push(c);
        assert.deepEqual(chunks.flat(), expected, `${what}: readPoints ${JSON.stringify(range)}`);
        chunks.forEach((c, i) => assert.ok(i === chunks.length - 1 ? c.length >= 1 && c.length <= chunkSize : c.length === chunkSize, `${what}: chunk ${i} of ${c.length} (chunkSize ${chunkSize})`));
        if (store.readPointColumns) {
          const got: Point[] = [];
          for await (const { times, values } of store.readPointColumns(s.id, range, chunkSize)) {
            assert.ok(times.length <= chunkSize && times.length === values.length);
            for (let i = 0; i < times.length; i++) got.push([times[i]!, values[i]!]);
          }
          assert.deepEqual(got, expected, `${what}: readPointColumns ${JSON.stringify(range)}`);
        }
        if (store.pageEnd) {
          const limit = 1 + int(30);
          const next = inRange(s.points, { start: range.start, end: range.end })[limit]?.[0];
          assert.equal(await store.pageEnd(s.id, { start: range.start, end: range.end }, limit), next, `${what}: pageEnd ${JSON.stringify(range)} limit ${limit}`);
        }
      }

      // After every step: the touched series reads as the model says.
      const full: Point[] = [];
      for await (const c of store.readPoints(s.id, {})) full.push(...c);
      assert.deepEqual(full, sorted(s.points), `${what}: all points`);
      assert.deepEqual(await store.latest(s.id), latestOf(s), `${what}: latest`);
      assert.deepEqual(await store.latestWithVersion(s.id), s.exists ? { version: s.version, latest: latestOf(s) } : undefined, `${what}: latestWithVersion`);
      await hooks.afterStep?.(store, s.id);
    }

    // Every change was heard once; compaction is not a change.
    const total = (): number => [...heard.values()].reduce((a, b) => a + b, 0);
    const deadline = Date.now() + 10_000;
    while (total() < expectedChanges && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(total(), expectedChanges, `seed ${seed}: onChange calls`);
    await store.compact?.();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(total(), expectedChanges, `seed ${seed}: compaction fired onChange`);
    for (const s of all) {
      const full: Point[] = [];
      for await (const c of store.readPoints(s.id, {})) full.push(...c);
      assert.deepEqual(full, sorted(s.points), `seed ${seed}: ${s.id} after the final compaction`);
      if (s.exists) assert.equal((await store.getSeriesHead(s.id))?.version, s.version);
    }
  } finally {
    off();
    await (hooks.close ?? ((st: Store) => st.close()))(store);
  }
}
