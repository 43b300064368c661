// latest$ / watch() / live() against the real server: in push and poll modes a write is seen
// within one interval; 'auto' polls against a server without push and while a cut connection is
// reopened; a deleted series ends the push stream; 1,000 subscribers of one series share one
// connection (push) or one poller (one request per interval).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { filter, firstValueFrom, lastValueFrom, ReplaySubject, tap, toArray, type Observable, type Subscription } from 'rxjs';
import { NotFoundError, TimetricClient, type ClientOptions, type LiveUpdate } from '../../src/index.js';
import { startFaultProxy } from '../helpers/faultProxy.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let erin: TestUser;
before(async () => {
  t = await startServer();
  erin = await t.user('live-erin');
});
after(() => t.close());

const clientFor = (user: TestUser, baseUrl: string, options: ClientOptions = {}) =>
  new TimetricClient({ authtype: 'apitoken', apitoken_key: user.key, apitoken_secret: user.secret }, { baseUrl, ...options });

/** Counts the client's requests by path suffix. */
function counting() {
  const seen = { events: 0, json: 0 };
  const fetchImpl = (url: string, init?: RequestInit) => {
    if (url.includes('/value/events/')) seen.events++;
    if (url.includes('/value/json/')) seen.json++;
    return fetch(url, init);
  };
  return { seen, fetchImpl };
}

/** One subscription to `live`, recorded; `until(pred)` resolves with the first update (past or future) that matches. */
function record(live: Observable<LiveUpdate>) {
  const updates: LiveUpdate[] = [];
  const replay = new ReplaySubject<LiveUpdate>();
  const sub = live.pipe(tap((u) => updates.push(u))).subscribe(replay);
  return { updates, until: (pred: (u: LiveUpdate) => boolean) => firstValueFrom(replay.pipe(filter(pred))), stop: () => sub.unsubscribe() };
}

/** Waits for the current value, writes `value`, and resolves with the update carrying it and the ms since the write was acknowledged. */
async function seeWrite(live: Observable<LiveUpdate>, write: () => Promise<unknown>, value: number) {
  const r = record(live);
  try {
    const first = await r.until(() => true);
    await write();
    const written = performance.now();
    const update = await r.until((u) => u.point?.[1] === value);
    return { first, update, ms: performance.now() - written };
  } finally {
    r.stop();
  }
}

describe('live latest value against the server', () => {
  it('push mode: the current value, then a write within one interval, over value/events/ only', async () => {
    const { seen, fetchImpl } = counting();
    const client = clientFor(erin, t.url, { fetch: fetchImpl });
    const s = await client.createSeries({ title: 'push', caption: 'c' }, [[1, 1]]);
    // One live stream shared by both subscriptions of seeWrite; the interval is long, so only push can deliver in time.
    const live = s.live({ mode: 'push', intervalMs: 2_000 });
    const { first, update, ms } = await seeWrite(live, () => lastValueFrom(s.update([[2, 2]])), 2);
    assert.deepEqual(first, { point: [1, 1], transport: 'push' });
    assert.deepEqual(update, { point: [2, 2], transport: 'push' });
    assert.ok(ms < 2_000, `seen ${ms.toFixed(0)} ms after the write was acknowledged (interval 2,000)`);
    assert.equal(seen.json, 0, 'no polling');
    assert.ok(seen.events >= 1);
  });

  it('poll mode: the current value, then a write within one interval, over value/json/ only', async () => {
    const { seen, fetchImpl } = counting();
    const client = clientFor(erin, t.url, { fetch: fetchImpl });
    const s = await client.createSeries({ title: 'poll', caption: 'c' }, [[1, 1]]);
    const live = s.live({ mode: 'poll', intervalMs: 1_000 });
    const { first, update, ms } = await seeWrite(live, () => lastValueFrom(s.update([[2, 2]])), 2);
    assert.deepEqual(first, { point: [1, 1], transport: 'poll' });
    assert.deepEqual(update, { point: [2, 2], transport: 'poll' });
    // At most one interval of waiting plus the request itself.
    assert.ok(ms < 2_000, `seen ${ms.toFixed(0)} ms after the write was acknowledged (interval 1,000)`);
    assert.equal(seen.events, 0, 'no push');
  });

  it('auto mode polls a server without push (404 on value/events/)', async () => {
    const historical = await startServer({ push: false });
    try {
      const ivy = await historical.user('live-ivy');
      const client = clientFor(ivy, historical.url);
      const s = await client.createSeries({ title: 'auto', caption: 'c' }, [[1, 1]]);
      const { first, update } = await seeWrite(s.live({ intervalMs: 100 }), () => lastValueFrom(s.update([[2, 2]])), 2);
      assert.deepEqual(first, { point: [1, 1], transport: 'poll' });
      assert.deepEqual(update, { point: [2, 2], transport: 'poll' });
    } finally {
      await historical.close();
    }
  });

  it('auto mode: a cut push connection falls back to polling, then push resumes', async () => {
    const proxy = await startFaultProxy(Number(new URL(t.url).port));
    try {
      const client = clientFor(erin, proxy.url);
      const s = await client.createSeries({ title: 'cut', caption: 'c' }, [[1, 1]]);
      const r = record(s.live({ intervalMs: 200 }));
      await r.until((u) => u.transport === 'push');
      proxy.cutAll();
      await r.until((u) => u.transport === 'poll');
      await lastValueFrom(s.update([[2, 2]]));
      await r.until((u) => u.transport === 'push' && u.point?.[1] === 2);
      r.stop();
      const updates = r.updates;
      assert.deepEqual(updates[0], { point: [1, 1], transport: 'push' });
      assert.deepEqual(updates[1], { point: [1, 1], transport: 'poll' }, 'polls while push is down');
      assert.deepEqual(updates.at(-1), { point: [2, 2], transport: 'push' }, `push came back: ${JSON.stringify(updates)}`);
    } finally {
      await proxy.close();
    }
  });

  it('a deleted series ends the push stream with NotFoundError', async () => {
    const client = clientFor(erin, t.url);
    const s = await client.createSeries({ title: 'gone', caption: 'c' }, [[1, 1]]);
    const live = s.watch({ mode: 'push' });
    const ended = lastValueFrom(live.pipe(toArray())).then(
      () => assert.fail('completed'),
      (err: unknown) => err,
    );
    await lastValueFrom(s.delete());
    assert.ok((await ended) instanceof NotFoundError);
  });

  it('1,000 latest$ subscribers share one push connection', async () => {
    const { seen, fetchImpl } = counting();
    const client = clientFor(erin, t.url, { fetch: fetchImpl });
    const s = await client.createSeries({ title: 'shared', caption: 'c' }, [[1, 1]]);
    const subs: Subscription[] = [];
    const firsts: Promise<unknown>[] = [];
    for (let i = 0; i < 1000; i++) firsts.push(new Promise((resolve) => subs.push(client.series(s.id).latest$.subscribe(resolve))));
    await Promise.all(firsts);
    const late = await firstValueFrom(client.series(s.id).latest$);
    assert.deepEqual(late, [1, 1], 'a late subscriber gets the current value at once');
    const changed = firstValueFrom(client.series(s.id).latest$.pipe(filter((p) => p?.[1] === 2)));
    await lastValueFrom(s.update([[2, 2]]));
    await changed;
    assert.deepEqual(seen, { events: 1, json: 0 });
    for (const sub of subs) sub.unsubscribe();
  });

  it('1,000 latest$ subscribers in poll mode share one poller: one request per interval', async () => {
    const { seen, fetchImpl } = counting();
    const client = clientFor(erin, t.url, { fetch: fetchImpl, latest: { mode: 'poll', intervalMs: 200 } });
    const s = await client.createSeries({ title: 'shared-poll', caption: 'c' }, [[1, 1]]);
    const subs: Subscription[] = [];
    const firsts: Promise<unknown>[] = [];
    for (let i = 0; i < 1000; i++) firsts.push(new Promise((resolve) => subs.push(client.series(s.id).latest$.subscribe(resolve))));
    await Promise.all(firsts);
    assert.equal(seen.json, 1, 'the first value of all 1,000 came from one request');
    // The next change arrives on the next poll: one more request, whoever listens.
    const changed = firstValueFrom(client.series(s.id).latest$.pipe(filter((p) => p?.[1] === 2)));
    await lastValueFrom(s.update([[2, 2]]));
    await changed;
    assert.ok(seen.json >= 2 && seen.json <= 3, `requests: ${seen.json}`);
    assert.equal(seen.events, 0);
    for (const sub of subs) sub.unsubscribe();
  });
});
