// Idempotency-Key on increments, against the real server (SQLite, or PostgreSQL with
// TIMETRIC_TEST_STORE=postgres): a repeated key is answered as the first time and not applied
// again, on another instance of the same store too; the same key with another body is a 422 with
// nothing applied; a key older than the window is forgotten; a bad key is a 400. Then incrementTo:
// answers cut after the server committed are retried under the same key and applied once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Subject, lastValueFrom, tap, toArray } from 'rxjs';
import { TimetricClient, incrementTo } from '../../src/index.js';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let now = 1_764_000_000;
let t: TestServer;
let other: TestServer;
let proxy: FaultProxy;
let bo: TestUser;
before(async () => {
  t = await startServer({ clock: () => now, idempotencyWindowSeconds: 600 });
  // A second instance on the same store: keys live in the database, not in a process.
  other = await startServer({ store: t.store, clock: () => now, idempotencyWindowSeconds: 600 });
  bo = await t.user('idem-bo');
  proxy = await startFaultProxy(Number(new URL(t.url).port));
});
after(async () => {
  await proxy.close();
  await other.server.close();
  await t.close();
});

const client = (baseUrl = t.url) => new TimetricClient({ authtype: 'apitoken', apitoken_key: bo.key, apitoken_secret: bo.secret }, { baseUrl });
const post = (url: string, id: string, body: string, key?: string) =>
  fetch(`${url}/series/${id}/`, {
    method: 'POST',
    headers: { authorization: bo.basic, 'content-type': 'application/x-www-form-urlencoded', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body,
  });
const latest = async (id: string) => (await lastValueFrom(client().series(id).latest()))?.[1];

describe('Idempotency-Key on increments', () => {
  it('applies a key once; a repeat (on this or another instance) is answered 204 and marked replayed', async () => {
    const { id } = await client().createSeries({ title: 'idem', caption: 'c' });
    const first = await post(t.url, id, 'increment=2', '"k-1"');
    assert.equal(first.status, 204);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    now += 1;
    const again = await post(t.url, id, 'increment=2', '"k-1"');
    assert.equal(again.status, 204);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const elsewhere = await post(other.url, id, 'increment=2', 'k-1');
    assert.equal(elsewhere.headers.get('idempotent-replayed'), 'true', 'a bare token is the same key');
    assert.equal(await latest(id), 2);
    now += 1;
    assert.equal((await post(t.url, id, 'increment=3', 'k-2')).status, 204);
    assert.equal(await latest(id), 5);
  });

  it('refuses the same key with another body (422), nothing applied', async () => {
    const { id } = await client().createSeries({ title: 'idem2', caption: 'c' });
    await post(t.url, id, 'increment=1', 'k');
    const r = await post(t.url, id, 'increment=5', 'k');
    assert.equal(r.status, 422);
    assert.match(await r.text(), /Idempotency-Key "k" was already used/);
    assert.equal(await latest(id), 1);
  });

  it('forgets a key older than the window; keys are per series', async () => {
    const { id } = await client().createSeries({ title: 'idem3', caption: 'c' });
    const { id: id2 } = await client().createSeries({ title: 'idem3b', caption: 'c' });
    await post(t.url, id, 'increment=1', 'old');
    await post(t.url, id2, 'increment=1', 'old');
    assert.equal(await latest(id2), 1, 'the same key on another series is another key');
    now += 601;
    assert.equal((await post(t.url, id, 'increment=1', 'old')).headers.get('idempotent-replayed'), null);
    assert.equal(await latest(id), 2);
  });

  it('refuses a key that is empty, too long or not printable ASCII (400)', async () => {
    const { id } = await client().createSeries({ title: 'idem4', caption: 'c' });
    for (const key of ['""', 'x'.repeat(256), 'caf\u00e9']) {
      const r = await post(t.url, id, 'increment=1', key).catch(() => undefined);
      if (r) assert.equal(r.status, 400, key);
    }
    assert.equal(await latest(id), undefined);
  });
});

describe('incrementTo with keys', () => {
  it('retries answers cut after the commit under the same key: every window counted once', async () => {
    const { id } = await client().createSeries({ title: 'idem5', caption: 'c' });
    const viaProxy = client(proxy.url).series(id);
    const clicks = new Subject<number>();
    let i = 1;
    // One click a window: the next is emitted once the previous window is acknowledged.
    const done = lastValueFrom(
      clicks.pipe(
        incrementTo(viaProxy, { windowMs: 5, retryBaseMs: 5, maxBackoffMs: 20 }),
        // (Completed a turn later: tap runs before the receipt reaches toArray.)
        tap(() => (++i <= 6 ? clicks.next(i) : queueMicrotask(() => clicks.complete()))),
        toArray(),
      ),
    );
    // The first three answers are cut after the server committed the increment.
    proxy.cutNext(3, 0);
    clicks.next(1);
    const receipts = await done;
    assert.equal(receipts.reduce((n, r) => n + r.amount, 0), 21);
    assert.ok(receipts.some((r) => r.attempts > 1), 'some window was retried');
    assert.equal(await latest(id), 21);
  });
});
