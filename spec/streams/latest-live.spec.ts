// latest$ against the real server: sees a write within one poll interval, and 1,000 subscribers
// of one series cause one request per interval (one shared poller).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { filter, firstValueFrom, lastValueFrom, type Subscription } from 'rxjs';
import { TimetricClient } from '../../src/index.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let erin: TestUser;
let requests = 0;
before(async () => {
  t = await startServer();
  erin = await t.user('live-erin');
});
after(() => t.close());

describe('latest$ (poll mode) against the server', () => {
  it('emits the current value, then a new write within one interval', async () => {
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: erin.key, apitoken_secret: erin.secret }, { baseUrl: t.url });
    const s = await client.createSeries({ title: 'live', caption: 'c' }, [[1, 1]]);
    const watched = s.watch({ intervalMs: 50 });
    assert.deepEqual(await firstValueFrom(watched), [1, 1]);
    const seen = firstValueFrom(watched.pipe(filter((p) => p?.[1] === 2)));
    await lastValueFrom(s.update([[2, 2]]));
    assert.deepEqual(await seen, [2, 2]);
  });

  it('1,000 subscribers share one poller: one request per interval', async () => {
    // Every HTTP request the client makes goes through this fetch: count the latest-value ones.
    const counting = (url: string, init?: RequestInit) => {
      if (url.includes('/value/json/')) requests++;
      return fetch(url, init);
    };
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: erin.key, apitoken_secret: erin.secret }, { baseUrl: t.url, fetch: counting });
    const s = await client.createSeries({ title: 'shared', caption: 'c' }, [[1, 1]]);
    requests = 0;
    const subs: Subscription[] = [];
    const firsts: Promise<unknown>[] = [];
    for (let i = 0; i < 1000; i++) firsts.push(new Promise((resolve) => subs.push(client.series(s.id).latest$.subscribe(resolve))));
    await Promise.all(firsts);
    assert.equal(requests, 1, 'the first value of all 1,000 came from one request');
    const late = await firstValueFrom(client.series(s.id).latest$);
    assert.deepEqual(late, [1, 1], 'a late subscriber gets the current value at once');
    assert.equal(requests, 1);
    for (const sub of subs) sub.unsubscribe();
  });
});
