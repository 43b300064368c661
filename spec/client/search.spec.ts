// client.search() against the real server (SQLite, or PostgreSQL with TIMETRIC_TEST_STORE=postgres):
// more than 100 results paged in the server's order with nothing missed or repeated, tags, user
// and text narrow the search, anonymous clients see public series only, unsubscribing stops the
// paging and aborts the request in flight, and a bad parameter is the server's 400.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lastValueFrom, take, toArray } from 'rxjs';
import { ConfigurationError, HttpError, TimetricClient, type SeriesInfo } from '../../src/index.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
const aliceIds: string[] = [];
const powerIds: string[] = [];
const publicIds: string[] = [];
let bobPublic: string;

function client(user: TestUser | undefined, fetchImpl?: typeof fetch): TimetricClient {
  const config = user ? { authtype: 'apitoken' as const, apitoken_key: user.key, apitoken_secret: user.secret } : { authtype: 'anonymous' as const };
  return new TimetricClient(config, { baseUrl: t.url, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}

const urlOf = (input: Parameters<typeof fetch>[0]): string => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

/** A fetch that records the query of every request it passes on. */
function recorder(): { fetch: typeof fetch; pages: URLSearchParams[] } {
  const pages: URLSearchParams[] = [];
  return { pages, fetch: (input, init) => (pages.push(new URL(urlOf(input)).searchParams), fetch(input, init)) };
}

const all = (c: TimetricClient, search: Parameters<TimetricClient['search']>[0] = {}): Promise<SeriesInfo[]> => lastValueFrom(c.search(search).pipe(toArray()));

before(async () => {
  t = await startServer();
  alice = await t.user('search-alice');
  bob = await t.user('search-bob');
  const a = client(alice);
  for (let i = 0; i < 230; i++) {
    const tags = i % 3 === 0 ? ['power', `n${i}`] : [`n${i}`];
    const s = await a.createSeries({ title: `meter ${i}`, caption: 'W', tags, public: i % 5 === 0 });
    aliceIds.push(s.id);
    if (i % 3 === 0) powerIds.push(s.id);
    if (i % 5 === 0) publicIds.push(s.id);
  }
  const b = client(bob);
  bobPublic = (await b.createSeries({ title: 'bob open', caption: 'W', tags: ['power'], public: true })).id;
  await b.createSeries({ title: 'bob closed', caption: 'W', tags: ['power'] });
});
after(() => t.close());

describe('client.search()', () => {
  it('pages through more than 100 results in the server order, each once', async () => {
    const r = recorder();
    const found = await all(client(alice, r.fetch));
    const expected = (await t.store.searchSeries({ viewerId: alice.id, limit: 1000, offset: 0 })).map((s) => s.id);
    assert.equal(found.length, 231);
    assert.deepEqual(found.map((s) => s.id), expected);
    assert.deepEqual(new Set(found.map((s) => s.id)), new Set([...aliceIds, bobPublic]));
    assert.deepEqual(r.pages.map((q) => [q.get('n'), q.get('p')]), [['100', '1'], ['100', '2'], ['100', '3']]);
    const first = found.find((s) => s.id === aliceIds[0]);
    assert.deepEqual(first, { id: aliceIds[0], title: 'meter 0', caption: 'W', tags: ['power', 'n0'], url: `${t.url}/series/${aliceIds[0]}/` });
  });

  it('ends on an exactly full last page with one empty page more', async () => {
    const r = recorder();
    const found = await all(client(alice, r.fetch), { pageSize: 77 }); // 231 = 3 × 77
    assert.equal(found.length, 231);
    assert.deepEqual(r.pages.map((q) => q.get('p')), ['1', '2', '3', '4']);
  });

  it('narrows by tags (array or comma-separated), user and text', async () => {
    const a = client(alice);
    const power = await all(a, { tags: ['power'] });
    assert.deepEqual(new Set(power.map((s) => s.id)), new Set([...powerIds, bobPublic]));
    assert.ok(power.length > 70);
    assert.deepEqual((await all(a, { tags: 'power, n3' })).map((s) => s.id), [aliceIds[3]]);
    assert.deepEqual((await all(a, { user: 'search-bob' })).map((s) => s.id), [bobPublic]);
    assert.deepEqual((await all(a, { user: 'search-bob', tags: ['nope'] })).map((s) => s.id), []);
    assert.deepEqual((await all(a, { q: 'meter 12' })).map((s) => s.title).sort(), ['meter 12', 'meter 120', 'meter 121', 'meter 122', 'meter 123', 'meter 124', 'meter 125', 'meter 126', 'meter 127', 'meter 128', 'meter 129']);
  });

  it('shows an anonymous client public series only', async () => {
    const found = await all(client(undefined));
    assert.deepEqual(new Set(found.map((s) => s.id)), new Set([...publicIds, bobPublic]));
    const bobs = await all(client(bob), { user: 'search-alice' });
    assert.deepEqual(new Set(bobs.map((s) => s.id)), new Set(publicIds));
  });

  it('stops paging when unsubscribed, and aborts the request in flight', async () => {
    const r = recorder();
    const taken = await lastValueFrom(client(alice, r.fetch).search().pipe(take(150), toArray()));
    assert.equal(taken.length, 150);
    for (let i = 0; i < 5; i++) await new Promise(setImmediate);
    assert.equal(r.pages.length, 2, 'no third page after take(150)');

    const signals: AbortSignal[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding: typeof fetch = async (input, init) => {
      if (init?.signal) signals.push(init.signal);
      if (signals.length === 2) await held;
      return fetch(input, init);
    };
    const seen: SeriesInfo[] = [];
    let ended = false;
    const sub = client(alice, holding).search().subscribe({ next: (s) => seen.push(s), error: () => (ended = true), complete: () => (ended = true) });
    while (signals.length < 2) await new Promise(setImmediate);
    assert.equal(seen.length, 100);
    sub.unsubscribe();
    assert.equal(signals[1]!.aborted, true, 'the second page request was aborted');
    release();
    for (let i = 0; i < 5; i++) await new Promise(setImmediate);
    assert.equal(signals.length, 2);
    assert.equal(seen.length, 100);
    assert.equal(ended, false, 'nothing is reported after unsubscribing');
  });

  it('stops on a repeated page when the server ignores the page number', async () => {
    // Our server with `p` stripped behaves like one without paging parameters.
    const pages: string[] = [];
    const noPaging: typeof fetch = (input, init) => {
      const u = new URL(urlOf(input));
      pages.push(u.searchParams.get('p') ?? '');
      u.searchParams.delete('p');
      return fetch(u.href, init);
    };
    const found = await all(client(alice, noPaging));
    assert.equal(found.length, 100);
    assert.deepEqual(pages, ['1', '2']);
  });

  it('reports a bad search as the server answers it, and refuses a bad pageSize', async () => {
    await assert.rejects(all(client(alice), { q: 'x'.repeat(1_000) }), (err: unknown) => err instanceof HttpError && err.status === 400);
    assert.throws(() => client(alice).search({ pageSize: 101 }), ConfigurationError);
    assert.throws(() => client(alice).search({ pageSize: 0 }), ConfigurationError);
  });
});
