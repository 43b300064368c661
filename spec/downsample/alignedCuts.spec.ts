// Aligned chunk cuts never change what a read returns: the same seeded writes (bulk uploads,
// small writes into the head, late points that rewrite chunks, compactions at random moments) go
// into a store that cuts chunks by count alone (chunkAlign: []) and one that cuts them at aligned
// times, on the store in use (SQLite, or PostgreSQL with TIMETRIC_TEST_STORE=postgres); after each
// round every downsampled read (every aggregate, M4) and the raw read of both equal a brute force
// over the model's points, -0 and literals included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point, PointValue } from '../../src/codec/Point.js';
import type { DownsampleSpec } from '../../src/codec/downsample/DownsampleSpec.js';
import type { Store } from '../../src/server/store/Store.js';
import { seededRandom } from '../helpers/seededRandom.js';
import { bruteBuckets, bruteM4 } from './bruteForce.js';
import { openDownsampleStore, SMALL_CHUNKS, storeKind } from './downsampleStore.js';

const AGGS = ['mean', 'min', 'max', 'first', 'last', 'sum', 'count'] as const;

async function downsampled(store: Store, id: string, spec: DownsampleSpec): Promise<Point[]> {
  const out: Point[] = [];
  for await (const piece of store.downsample!(id, spec)) out.push(...piece);
  return out;
}

async function raw(store: Store, id: string): Promise<Point[]> {
  const out: Point[] = [];
  for await (const { times, values } of store.readPointColumns!(id, {}, 1000)) for (let i = 0; i < times.length; i++) out.push([times[i]!, values[i]!]);
  return out;
}

function same(got: Point[], expected: Point[], what: string): void {
  const n = Math.max(got.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = got[i];
    const b = expected[i];
    if (!a || !b || !Object.is(a[0], b[0]) || !Object.is(a[1], b[1])) assert.fail(`${what}: point ${i} is ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`);
  }
}

describe(`aligned chunk cuts do not change reads (${storeKind})`, () => {
  for (const seed of [1, 2]) {
    it(`the same writes cut by count and at aligned times give the brute force's reads (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      // 16-point chunks of 1–3 s steps span ~30 s: cuts at multiples of 20 s (of 10 s when a span is shorter).
      const stores = await Promise.all([openDownsampleStore({ ...SMALL_CHUNKS, chunkAlign: [] }), openDownsampleStore({ ...SMALL_CHUNKS, chunkAlign: [20, 10] })]);
      try {
        const ids: string[] = [];
        for (const [k, { store }] of stores.entries()) {
          const u = await store.createUser(`aligned${seed}-${k}`, 'scrypt$x$y');
          const id = `aligned${seed}x${k}`.padEnd(22, 'x');
          await store.createSeries({ id, ownerId: u.id, title: 't', caption: '', description: null, tags: [], public: false, extra: {} });
          ids.push(id);
        }
        const model = new Map<number, PointValue>();
        const value = (): PointValue => {
          const r = random();
          return r < 0.05 ? null : r < 0.08 ? true : r < 0.1 ? false : r < 0.12 ? -0 : Math.round((random() - 0.5) * 400) / 4;
        };
        let top = 10_000;
        for (let round = 0; round < 12; round++) {
          const points: Point[] = [];
          const r = random();
          if (r < 0.5) {
            // A bulk run from the end: integer times (on every 10 s and 20 s edge), some halves.
            const n = 20 + Math.floor(random() * 200);
            for (let i = 0; i < n; i++) points.push([(top += 1 + Math.floor(random() * 3)) + (random() < 0.1 ? 0.5 : 0), value()]);
          } else if (r < 0.8) {
            for (let i = 0; i < 1 + Math.floor(random() * 5); i++) points.push([(top += 1 + Math.floor(random() * 4)), value()]);
          } else {
            // Late points inside the history: rewrite the chunks they meet.
            for (let i = 0; i < 1 + Math.floor(random() * 8); i++) points.push([10_000 + Math.floor(random() * (top - 10_000)) + (random() < 0.5 ? 0.25 : 0), value()]);
          }
          points.sort((a, b) => a[0] - b[0]);
          for (const [t, v] of points) model.set(t, v);
          for (const [k, { store }] of stores.entries()) {
            const w = await store.openWriter(ids[k]!, 'merge');
            await w.stage(points);
            await w.commit();
            if (random() < 0.3) await store.compact?.(ids[k]);
          }
          const expected = [...model].sort((a, b) => a[0] - b[0]);
          const [first, last] = [expected[0]![0], expected[expected.length - 1]![0]];
          for (const [k, { store }] of stores.entries()) {
            const what = `round ${round}, ${k === 0 ? 'count cuts' : 'aligned cuts'}`;
            same(await raw(store, ids[k]!), expected, `${what}: raw`);
            for (const [start, end] of [
              [first, last + 1],
              [first + 7, last - 3],
            ] as const) {
              if (!(end > start)) continue;
              for (const every of [10, 20, 60, 7])
                for (const agg of AGGS) same(await downsampled(store, ids[k]!, { start, end, every, agg }), bruteBuckets(expected, start, end, every, agg), `${what}: every=${every} ${agg}`);
              for (const columns of [1, 5, 40]) same(await downsampled(store, ids[k]!, { start, end, points: columns, agg: 'm4' }), bruteM4(expected, start, end, columns), `${what}: m4 ${columns}`);
            }
          }
        }
        // The two stores did cut differently (the aligned one makes more, shorter chunks).
        const counts = await Promise.all(stores.map(async ({ store }, k) => (await store.storageStats!(ids[k])).series[0]!.chunks));
        assert.ok(counts[1]! > counts[0]!, `chunks: ${counts.join(' by count, ')} aligned`);
      } finally {
        await Promise.all(stores.map((s) => s.cleanup()));
      }
    });
  }
});
