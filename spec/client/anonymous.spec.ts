// authtype 'anonymous' against the real server: public series are readable (latest, values$, push
// and poll live streams) with no Authorization header at all; private series and writes are refused
// with AuthenticationError; the OAuth dance and signing refuse with a ConfigurationError.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { AuthenticationError, ConfigurationError, TimetricClient } from '../../src/index.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let owner: TestUser;
let pub: string;
let priv: string;
const headers: (string | null)[] = [];
const recording = (url: string, init?: RequestInit) => {
  headers.push(new Headers(init?.headers).get('authorization'));
  return fetch(url, init);
};
before(async () => {
  t = await startServer();
  owner = await t.user('anon-owner');
  const c = new TimetricClient({ authtype: 'apitoken', apitoken_key: owner.key, apitoken_secret: owner.secret }, { baseUrl: t.url });
  pub = (await c.createSeries({ title: 'public', caption: 'c', public: true }, [[1, 1], [2, 2]])).id;
  priv = (await c.createSeries({ title: 'private', caption: 'c' }, [[1, 1]])).id;
});
after(() => t.close());

describe("authtype 'anonymous'", () => {
  it('reads a public series without credentials: latest, values$, live in push and poll modes', async () => {
    const anon = new TimetricClient({ authtype: 'anonymous' }, { baseUrl: t.url, fetch: recording });
    const s = anon.series(pub);
    assert.deepEqual(await lastValueFrom(s.latest()), [2, 2]);
    assert.deepEqual(await lastValueFrom(s.values$.pipe(toArray())), [[1, 1], [2, 2]]);
    assert.deepEqual(await firstValueFrom(s.live({ mode: 'push' })), { point: [2, 2], transport: 'push' });
    assert.deepEqual(await firstValueFrom(s.live({ mode: 'poll' }).pipe(filter((u) => u.point !== null))), { point: [2, 2], transport: 'poll' });
    assert.ok(headers.length >= 4);
    assert.ok(headers.every((h) => h === null), 'no Authorization header was sent');
  });

  it('is refused private series and writes', async () => {
    const anon = new TimetricClient({ authtype: 'anonymous' }, { baseUrl: t.url });
    await assert.rejects(lastValueFrom(anon.series(priv).latest()), AuthenticationError);
    await assert.rejects(lastValueFrom(anon.series(pub).update(3)), AuthenticationError);
    await assert.rejects(lastValueFrom(anon.series(priv).watch({ mode: 'push' })), AuthenticationError);
  });

  it('has nothing to sign the OAuth dance with', async () => {
    const anon = new TimetricClient({ authtype: 'anonymous' }, { baseUrl: t.url });
    await assert.rejects(anon.getRequestToken(), ConfigurationError);
  });
});
