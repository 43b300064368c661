// The downsampled read on the wire, against our server (SQLite, or PostgreSQL with
// TIMETRIC_TEST_STORE=postgres): the X-Timetric-Downsampled header, ETag/304, iso.csv, CORS
// exposing the header, a 400 naming the parameter for each bad request, access as for any read,
// and the downsample option off (the parameters ignored, raw points of the range, no header).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSV, createSeries } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';
import { storeKind } from './downsampleStore.js';

let t: TestServer;
let off: TestServer;
let alice: TestUser;
let bob: TestUser;
let id: string;

const get = (server: TestServer, query: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${server.url}/series/${id}/csv/${query}`, { headers: { authorization: alice.basic, ...headers } });

before(async () => {
  t = await startServer();
  off = await startServer({ store: t.store, downsample: false });
  alice = await t.user('wire-alice');
  bob = await t.user('wire-bob');
  id = await createSeries(t.url, alice.basic);
  const csv = Array.from({ length: 100 }, (_, i) => `${1000 + i * 6},${i % 10 === 9 ? 'null' : i}`).join('\n');
  const r = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, authorization: alice.basic }, body: csv });
  assert.equal(r.status, 204);
});
after(async () => {
  await off.close();
  await t.close();
});

describe(`downsampled reads on the wire (${storeKind})`, () => {
  it('buckets: one line per non-empty bucket, stamped with its start, and the header saying how', async () => {
    const r = await get(t, '?start=1000&end=1120&every=60&agg=count');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-timetric-downsampled'), 'every=60;agg=count');
    assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
    // Points every 6 s from 1000: 1000-1018, 1024-1078, 1084-1114.
    assert.equal(await r.text(), '960,4\n1020,10\n1080,6\n');
    const mean = await get(t, '?start=1000&end=1060&every=60');
    assert.equal(mean.headers.get('x-timetric-downsampled'), 'every=60;agg=mean', 'agg defaults to mean');
    // 0-3, then 4-8 (the null at 1054 is left out).
    assert.equal(await mean.text(), '960,1.5\n1020,6\n');
    const iso = await fetch(`${t.url}/series/${id}/csv/iso.csv?start=1000&end=1060&every=60&agg=max`, { headers: { authorization: alice.basic } });
    assert.equal(await iso.text(), '1970-01-01T00:16:00Z,3\n1970-01-01T00:17:00Z,8\n');
  });

  it('M4: the first, last, min and max point of each column at their own times', async () => {
    const r = await get(t, '?start=1000&end=1600&points=2&agg=m4');
    assert.equal(r.headers.get('x-timetric-downsampled'), 'points=2;agg=m4');
    // Column 0 holds 1000..1294 (values 0..49 with nulls at i%10 = 9), column 1 1300..1594.
    assert.equal(await r.text(), '1000,0\n1288,48\n1294,null\n1300,50\n1588,98\n1594,null\n');
  });

  it('ETag and 304 as for any read; CORS exposes the header', async () => {
    const first = await get(t, '?start=1000&end=2000&every=60&agg=sum', { origin: 'http://elsewhere.example' });
    const etag = first.headers.get('etag');
    assert.ok(etag);
    assert.match(first.headers.get('access-control-expose-headers') ?? '', /X-Timetric-Downsampled/i);
    await first.text();
    const again = await get(t, '?start=1000&end=2000&every=60&agg=sum', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const w = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, authorization: alice.basic }, body: '5000,1' });
    assert.equal(w.status, 204);
    const changed = await get(t, '?start=1000&end=2000&every=60&agg=sum', { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
  });

  it('a 400 names the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['?start=0&end=100&every=0', /^invalid every: every must be a positive number/],
      ['?start=0&end=100&every=-5', /^invalid every/],
      ['?start=0&end=100&every=abc', /^invalid every "abc"/],
      ['?start=0&end=100&every=60&agg=median', /^invalid agg: unknown agg "median"/],
      ['?start=0&end=100&points=0&agg=m4', /^invalid points: points must be a whole number of columns from 1 to 100000, got 0/],
      ['?start=0&end=100&points=100001&agg=m4', /^invalid points/],
      ['?start=0&end=100&points=1.5&agg=m4', /^invalid points "1.5"/],
      ['?start=0&end=100&agg=m4', /^invalid points: agg=m4 needs points/],
      ['?start=0&end=100&points=10&agg=mean', /^invalid agg "mean": with points, agg is m4/],
      ['?start=0&end=100&every=10&points=10', /^invalid points: give every .* or points .*, not both/],
      ['?start=0&end=1000000&every=1', /^invalid every: every=1 makes 1000000 buckets .* at most 100000/],
      ['?end=100&every=10', /^invalid start: a downsampled read needs start/],
      ['?start=0&every=10', /^invalid end: a downsampled read needs end/],
      ['?start=100&end=100&every=10', /^invalid end: end \(100\) must be after start/],
      ['?start=0&end=100&every=10&limit=5', /^invalid limit: downsampled reads .* are not paged/],
      ['?start=0&end=100&agg=max', /^invalid every: agg="max" needs every=SECONDS/],
    ];
    for (const [query, message] of cases) {
      const r = await get(t, query);
      assert.equal(r.status, 400, query);
      assert.match(await r.text(), message, query);
    }
    // Exactly 100,000 buckets is allowed: 101 points, one a bucket.
    const most = await get(t, '?start=0&end=100000&every=1&agg=count');
    assert.equal(most.status, 200);
    assert.equal((await most.text()).split('\n').length - 1, 101);
  });

  it('access as for any read: another user gets 404, anonymous 401', async () => {
    const other = await fetch(`${t.url}/series/${id}/csv/?start=0&end=100&every=10`, { headers: { authorization: bob.basic } });
    assert.equal(other.status, 404);
    const anonymous = await fetch(`${t.url}/series/${id}/csv/?start=0&end=100&every=10`);
    assert.equal(anonymous.status, 401);
  });

  it('with the option off the parameters are ignored: the raw points of the range, no header', async () => {
    const r = await get(off, '?start=1000&end=1030&every=60&agg=count');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-timetric-downsampled'), null);
    assert.equal(await r.text(), '1000,0\n1006,1\n1012,2\n1018,3\n1024,4\n');
    assert.equal((await get(off, '?start=0&end=100&every=0')).status, 200);
  });
});
