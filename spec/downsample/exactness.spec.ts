// Downsampled reads are exact: bucket aggregates (every agg) and M4 from our server, on the store
// in use (SQLite, or PostgreSQL with TIMETRIC_TEST_STORE=postgres), equal what is computed from the
// raw points by brute force (spec/downsample/bruteForce.ts). The series hold chunks inside one
// bucket and chunks straddling edges (16-point chunks), head points between and after them, points
// exactly at bucket edges, empty buckets, null/true/false and -0. Both client paths run: a server
// that computes (X-Timetric-Downsampled) and the same store behind a server with the extension off,
// where the client computes; the points are identical. (-0 is written as 0 on the wire, so both
// paths see 0.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lastValueFrom, toArray } from 'rxjs';
import type { Point } from '../../src/codec/Point.js';
import type { DownsampleOptions } from '../../src/client/DownsampleOptions.js';
import type { Series } from '../../src/client/Series.js';
import { TimetricClient } from '../../src/client/TimetricClient.js';
import { ConfigurationError } from '../../src/errors/ConfigurationError.js';
import { seededRandom } from '../helpers/seededRandom.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';
import { bruteBuckets, bruteM4 } from './bruteForce.js';
import { openDownsampleStore, storeKind } from './downsampleStore.js';

const AGGS = ['mean', 'min', 'max', 'first', 'last', 'sum', 'count'] as const;

let on: TestServer;
let off: TestServer;
let user: TestUser;
let cleanup: () => Promise<void>;
let withServer: TimetricClient;
let withoutServer: TimetricClient;

const client = (url: string): TimetricClient => new TimetricClient({ authtype: 'apitoken', apitoken_key: user.key, apitoken_secret: user.secret }, { baseUrl: url });
const all = <T>(o: import('rxjs').Observable<T>): Promise<T[]> => lastValueFrom(o.pipe(toArray()));

/** Times with fractions, points exactly at multiples of 10 and 60, and gaps of empty buckets. */
function mixedPoints(seed: number, n: number, t0: number): Point[] {
  const random = seededRandom(seed);
  const steps = [0.25, 0.5, 1, 2.5, 3, 10];
  const points: Point[] = [];
  let t = t0;
  for (let i = 0; i < n; i++) {
    const r = random();
    t += r < 0.03 ? 100 + Math.floor(random() * 400) : steps[Math.floor(random() * steps.length)]!;
    if (i % 7 === 0) t = Math.ceil(t / 10) * 10;
    const k = random();
    const value = k < 0.06 ? null : k < 0.09 ? true : k < 0.12 ? false : k < 0.14 ? -0 : Math.round((random() - 0.5) * 400) / 4;
    points.push([t, value]);
  }
  return points;
}

/** Writes `points` so that most go into chunks (batches) and every `headEvery`-th small write goes to the head. */
async function write(series: Series, points: Point[]): Promise<void> {
  const bulk = points.filter((_, i) => i % 11 !== 5);
  const late = points.filter((_, i) => i % 11 === 5);
  for (let i = 0; i < bulk.length; i += 45) await lastValueFrom(series.update(bulk.slice(i, i + 45)));
  // Small writes between and after chunks: head points (or, meeting a chunk, merged into it).
  for (let i = 0; i < late.length; i += 3) await lastValueFrom(series.update(late.slice(i, i + 3)));
}

let main: { series: [Series, Series]; raw: Point[] };
let edge: { series: [Series, Series]; raw: Point[] };

async function makeSeries(points: Point[], writer: (s: Series, p: Point[]) => Promise<void> = write): Promise<{ series: [Series, Series]; raw: Point[] }> {
  const s = await withServer.createSeries({ title: 'downsample', caption: 'x' });
  if (points.length) await writer(s, points);
  const raw = await all(s.values());
  return { series: [s, withoutServer.series(s.id)], raw };
}

before(async () => {
  const made = await openDownsampleStore();
  cleanup = () => made.cleanup();
  on = await startServer({ store: made.store });
  off = await startServer({ store: made.store, downsample: false });
  user = await on.user('ds');
  withServer = client(on.url);
  withoutServer = client(off.url);
  main = await makeSeries(mixedPoints(12, 700, 1_000_000));
  // Dense integer times from an edge: every point lies on a 1 s edge, buckets of 4 and 16 s meet chunk edges exactly.
  edge = await makeSeries(Array.from({ length: 200 }, (_, i): Point => [2_000_000 + i, i % 13 === 0 ? null : (i % 9) - 4]));
});
after(async () => {
  await on.close();
  await off.close();
  await cleanup();
});

/** Equal point lists, or a failure naming the first difference (assert's diff of long arrays takes minutes). */
function samePoints(got: Point[], expected: Point[], what: string): void {
  const n = Math.max(got.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = got[i];
    const b = expected[i];
    if (!a || !b || !Object.is(a[0], b[0]) || !Object.is(a[1], b[1])) {
      assert.fail(`${what}: point ${i} is ${JSON.stringify(a)}, expected ${JSON.stringify(b)} (${got.length} points, expected ${expected.length})`);
    }
  }
}

/** The read through both clients: equal to each other and to `expected`. */
async function check(pair: [Series, Series], options: DownsampleOptions, expected: Point[]): Promise<void> {
  const [server, client] = await Promise.all([all(pair[0].values(options)), all(pair[1].values(options))]);
  samePoints(server, expected, `server ${JSON.stringify(options)}`);
  samePoints(client, expected, `client ${JSON.stringify(options)}`);
}

describe(`downsampled reads are exact (${storeKind})`, () => {
  it('the test series hold chunks and head points, edges and literals', () => {
    const { raw } = main;
    assert.equal(raw.length, 700);
    assert.ok(raw.some(([t]) => t % 60 === 0));
    assert.ok(raw.some(([, v]) => v === null) && raw.some(([, v]) => v === true) && raw.some(([, v]) => v === false));
  });

  it('every aggregate, several bucket widths and ranges, both client paths', async () => {
    const { raw, series } = main;
    const first = raw[0]![0];
    const last = raw[raw.length - 1]![0];
    const ranges: [number, number][] = [
      [first - 5, last + 5],
      [Math.ceil(first / 60) * 60, Math.floor(last / 60) * 60],
      [raw[100]![0], raw[480]![0]],
      [raw[33]![0] + 0.1, raw[34]![0]],
    ];
    // The aggregates of one width and range at once: the machine may be loaded, the reads are small.
    for (const every of [10, 60, 7.5, 1000])
      for (const [start, end] of ranges) await Promise.all(AGGS.map((agg) => check(series, { start, end, every, agg }, bruteBuckets(raw, start, end, every, agg))));
  });

  it('points at every edge: 1 s points, buckets of 1, 4 and 16 s', async () => {
    const { raw, series } = edge;
    for (const every of [1, 4, 16, 50]) await Promise.all(AGGS.map((agg) => check(series, { start: 2_000_000, end: 2_000_200, every, agg }, bruteBuckets(raw, 2_000_000, 2_000_200, every, agg))));
    await check(series, { start: 2_000_003, end: 2_000_037, every: 16, agg: 'sum' }, bruteBuckets(raw, 2_000_003, 2_000_037, 16, 'sum'));
  });

  it('M4 equals a brute-force M4 for 1 to 333 columns', async () => {
    const { raw, series } = main;
    const first = raw[0]![0];
    const last = raw[raw.length - 1]![0];
    for (const points of [1, 7, 50, 333])
      for (const [start, end] of [
        [first, last + 1],
        [raw[50]![0] + 0.5, raw[600]![0]],
      ] as const)
        await check(series, { start, end, points, agg: 'm4' }, bruteM4(raw, start, end, points));
    const e = edge;
    for (const points of [1, 3, 25, 200, 1000]) await check(e.series, { start: 2_000_000, end: 2_000_200, points, agg: 'm4' }, bruteM4(e.raw, 2_000_000, 2_000_200, points));
  });

  it('decimal values: sums and means agree with the raw sums to rounding', async () => {
    const random = seededRandom(5);
    const points = Array.from({ length: 300 }, (_, i): Point => [3_000_000 + i * 1.5, Math.round(random() * 1e4) / 100]);
    const { raw, series } = await makeSeries(points);
    for (const agg of ['sum', 'mean'] as const) {
      const expected = bruteBuckets(raw, 3_000_000, 3_000_450, 60, agg);
      for (const s of series) {
        const got = await all(s.values({ start: 3_000_000, end: 3_000_450, every: 60, agg }));
        assert.deepEqual(got.map((p) => p[0]), expected.map((p) => p[0]));
        got.forEach((p, i) => assert.ok(Math.abs((p[1] as number) - (expected[i]![1] as number)) <= 1e-9 * Math.abs(expected[i]![1] as number), `${agg} at ${p[0]}`));
      }
    }
  });

  it('one-point, empty, head-only and literal-only series', async () => {
    const one = await makeSeries([[1_500_000.5, 4]]);
    for (const agg of AGGS) await check(one.series, { start: 0, end: 2_000_000, every: 3600, agg }, [[Math.floor(1_500_000.5 / 3600) * 3600, agg === 'count' ? 1 : 4]]);
    await check(one.series, { start: 1_500_000, end: 1_500_001, points: 1600, agg: 'm4' }, [[1_500_000.5, 4]]);
    const empty = await makeSeries([]);
    await check(empty.series, { start: 0, end: 1e9, every: 86_400, agg: 'mean' }, []);
    await check(empty.series, { start: 0, end: 1e9, points: 10, agg: 'm4' }, []);
    const head = await makeSeries(
      [
        [100, 1],
        [101, 2],
        [160, 4],
      ],
      async (s, p) => void (await lastValueFrom(s.update(p))),
    );
    await check(head.series, { start: 0, end: 200, every: 60, agg: 'mean' }, [
      [60, 1.5],
      [120, 4],
    ]);
    const literals: Point[] = [
      [10, null],
      [11, true],
      [12, false],
      [70, 3],
      [71, null],
    ];
    const lit = await makeSeries(literals);
    for (const agg of AGGS) await check(lit.series, { start: 0, end: 120, every: 60, agg }, bruteBuckets(literals, 0, 120, 60, agg));
    assert.deepStrictEqual(bruteBuckets(literals, 0, 120, 60, 'mean'), [
      [0, null],
      [60, 3],
    ]);
    await check(lit.series, { start: 0, end: 120, points: 2, agg: 'm4' }, [
      [10, null],
      [12, false],
      [70, 3],
      [71, null],
    ]);
  });

  it('liveValues: the window equals the downsampled read, then follows a new point (both client paths)', async () => {
    for (const [i, c] of [withServer, withoutServer].entries()) {
      const s = await c.createSeries({ title: `live ${i}`, caption: 'x' });
      const points: Point[] = Array.from({ length: 100 }, (_, k): Point => [5_000_000 + k * 7, k % 5]);
      await write(s, points);
      const got: (readonly Point[])[] = [];
      const done = new Promise<void>((resolve, reject) => {
        const sub = s.liveValues({ start: 5_000_100, every: 60, agg: 'sum' }).subscribe({
          next: (w) => {
            got.push(w);
            if (got.length === 1) void lastValueFrom(s.update([[5_000_700, 10]])).catch(reject);
            if (w.some(([t]) => t === 5_000_700 - (5_000_700 % 60))) {
              sub.unsubscribe();
              resolve();
            }
          },
          error: reject,
        });
      });
      await done;
      samePoints([...got[0]!], bruteBuckets(points, 5_000_100, Infinity, 60, 'sum'), `first window ${i}`);
      samePoints([...got[got.length - 1]!], bruteBuckets([...points, [5_000_700, 10]], 5_000_100, Infinity, 60, 'sum'), `last window ${i}`);
    }
  });

  it('a bad option is a ConfigurationError naming it, before any request', async () => {
    const s = main.series[0];
    const bad = async (options: DownsampleOptions, key: string): Promise<void> => {
      await assert.rejects(all(s.values(options)), (e: unknown) => e instanceof ConfigurationError && e.key === key);
    };
    await bad({ start: 0, end: 10, every: 0 }, 'every');
    await bad({ start: 0, end: 10, points: 0, agg: 'm4' }, 'points');
    await bad({ start: 10, end: 0, every: 1 }, 'end');
    await bad({ start: 0, end: 1e9, every: 1 }, 'every');
  });
});
