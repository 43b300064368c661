// Every series operation of the client against the real server over a socket, with API-token auth.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { AuthenticationError, ConfigurationError, HttpError, NotFoundError, ParseError, TimetricClient, type Series } from '../../src/index.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let alice: TestUser;
let client: TimetricClient;
let now = 1_700_000_000;
before(async () => {
  t = await startServer({ clock: () => now });
  alice = await t.user('client-alice');
  client = new TimetricClient({ authtype: 'apitoken', apitoken_key: alice.key, apitoken_secret: alice.secret }, { baseUrl: t.url });
});
after(() => t.close());

const make = (data?: Parameters<TimetricClient['createSeries']>[1]): Promise<Series> =>
  client.createSeries({ title: 'Temperature', caption: 'Kitchen, °C', tags: ['home', 'temp'], site: 'flat' }, data);

describe('TimetricClient series operations', () => {
  it('createSeries reads the id from the server and stores metadata, tags and extra fields', async () => {
    const s = await make();
    assert.match(s.id, /^[A-Za-z0-9_-]{22}$/);
    const record = await t.store.getSeries(s.id);
    assert.deepEqual([record?.title, record?.tags, record?.extra], ['Temperature', ['home', 'temp'], { site: 'flat' }]);
    assert.equal(client.series(s.id), s, 'same id, same object');
  });

  it('createSeries with data creates both at once; refuses a missing title before sending', async () => {
    const s = await make([[new Date(Date.UTC(2003, 3, 6)), 1.5], ['2003-04-06T00:00:01', null], [1049587202, false]]);
    assert.equal(await lastValueFrom(s.csv()), '1049587200,1.5\n1049587201,null\n1049587202,false\n');
    await assert.rejects(client.createSeries({ title: '', caption: 'x' }), ConfigurationError);
  });

  it('latest() gives null on an empty series, then the latest point with every value kind', async () => {
    const s = await make();
    assert.equal(await lastValueFrom(s.latest()), null);
    for (const v of [3.25, true, false, null]) {
      now += 1;
      await lastValueFrom(s.update(v));
      assert.deepEqual(await lastValueFrom(s.latest()), [now, v]);
    }
  });

  it('update() takes pairs, async iterables, CSV text, Blobs and ReadableStreams; times are true UTC', async () => {
    const s = await make();
    await lastValueFrom(s.update([['2003-04-06T00:00:00', 1]]));
    await lastValueFrom(
      s.update(
        (async function* () {
          yield await Promise.resolve([1049587201, 2] as const);
          yield [new Date('2003-04-06T00:00:02Z'), 3] as const;
        })(),
      ),
    );
    assert.deepEqual(await lastValueFrom(s.update('1049587203,4\n')), { points: undefined });
    await lastValueFrom(s.update(new Blob(['1049587204,5\n'])));
    await lastValueFrom(s.update(new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('1049587205,6\n')), c.close()) })));
    assert.deepEqual(await lastValueFrom(s.values$.pipe(toArray())), [1, 2, 3, 4, 5, 6].map((v, i) => [1049587200 + i, v]));
  });

  it('refuses milliseconds and bad values before sending anything', async () => {
    const s = await make();
    await assert.rejects(lastValueFrom(s.update([[Date.now(), 1]])), (e: unknown) => e instanceof ParseError && /milliseconds/.test(e.message));
    await assert.rejects(lastValueFrom(s.update([[1, Number.NaN]])), ParseError);
    await assert.rejects(lastValueFrom(s.increment(Number.POSITIVE_INFINITY)), ParseError);
    await assert.rejects(lastValueFrom(s.update([[Number.NaN, 1]])), ParseError);
    await assert.rejects(lastValueFrom(s.update([[new Date(Number.NaN), 1]])), ParseError);
    await assert.rejects(lastValueFrom(s.update([['not a time', 1]])), ParseError);
    // a later bad pair fails the whole update before sending: the good first pair is not applied
    await assert.rejects(lastValueFrom(s.update([[1049587200, 1], [1_700_000_000_000, 2]])), (e: unknown) => e instanceof ParseError && /point 1/.test(e.message));
    // CSV text goes as is: the server names the bad line, and applies nothing
    await assert.rejects(
      lastValueFrom(s.update('1049587200,1\n1049587201,oops\n')),
      (e: unknown) => e instanceof HttpError && e.status === 400 && /line 2/.test(e.message),
    );
    assert.equal(await lastValueFrom(s.csv()), '');
  });

  it('unsubscribing while an async iterable is still producing closes it and applies nothing', async () => {
    const s = await make();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let pulled = 0;
    let onClosed!: () => void;
    const closed = new Promise<void>((resolve) => (onClosed = resolve));
    let firstPulled!: () => void;
    const started = new Promise<void>((resolve) => (firstPulled = resolve));
    async function* slow(): AsyncGenerator<readonly [number, number]> {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          if (i === 1) {
            firstPulled();
            await gate;
          }
          yield [1049587200 + i, i];
        }
      } finally {
        onClosed();
      }
    }
    const sub = s.update(slow()).subscribe({ error: (e: unknown) => assert.fail(`no error after unsubscribe: ${String(e)}`) });
    await started;
    sub.unsubscribe();
    release();
    await closed; // the encoder left its for-await loop, which closed the generator
    assert.equal(pulled, 2);
    assert.equal(await lastValueFrom(s.csv()), '');
  });

  it('increment() and decrement() add to the latest value', async () => {
    const s = await make();
    now += 1;
    await lastValueFrom(s.increment(10));
    now += 1;
    await lastValueFrom(s.decrement(2.5));
    assert.deepEqual(await lastValueFrom(s.latest()), [now, 7.5]);
  });

  it('rewrite() replaces the history; csv("iso") gives ISO timestamps', async () => {
    const s = await make([[1, 1], [2, 2]]);
    await lastValueFrom(s.rewrite([[0, 9]]));
    assert.equal(await lastValueFrom(s.csv('iso')), '1970-01-01T00:00:00Z,9\n');
  });

  it('values() pages through a range following Link rel="next"', async () => {
    const pairs = Array.from({ length: 2500 }, (_, i) => [i, i * 2] as const);
    const s = await make(pairs);
    assert.deepEqual(await lastValueFrom(s.values({ pageSize: 100 }).pipe(toArray())), pairs);
    assert.deepEqual(await lastValueFrom(s.values({ start: 10, end: 13, pageSize: 2 }).pipe(toArray())), [[10, 20], [11, 22], [12, 24]]);
    assert.deepEqual(await firstValueFrom(s.values$), [0, 0]);
  });

  it('delete() removes the series; later reads fail with NotFoundError carrying method, URL and status', async () => {
    const s = await make();
    assert.equal(await lastValueFrom(s.delete()), true);
    await assert.rejects(lastValueFrom(s.latest()), (e: unknown) => e instanceof NotFoundError && e.status === 404 && e.method === 'GET' && e.url.endsWith('/value/json/'));
  });

  it("another user's series: private reads as NotFoundError, public is readable but a write is AuthenticationError (403)", async () => {
    const bob = await t.user('client-bob');
    const asBob = new TimetricClient({ authtype: 'apitoken', apitoken_key: bob.key, apitoken_secret: bob.secret }, { baseUrl: t.url });
    const hidden = await make([[1, 1]]);
    await assert.rejects(lastValueFrom(asBob.series(hidden.id).latest()), NotFoundError);
    const shown = await client.createSeries({ title: 'Public', caption: 'p', public: true }, [[1, 1]]);
    assert.deepEqual(await lastValueFrom(asBob.series(shown.id).latest()), [1, 1]);
    await assert.rejects(
      lastValueFrom(asBob.series(shown.id).update(2)),
      (e: unknown) => e instanceof AuthenticationError && e.status === 403 && e.method === 'POST',
    );
    assert.equal(await lastValueFrom(shown.csv()), '1,1\n');
  });

  it('is cold: nothing is sent until subscribed', async () => {
    const s = await make();
    const write = s.update(5);
    assert.equal(await lastValueFrom(s.latest()), null);
    await lastValueFrom(write);
    assert.notEqual(await lastValueFrom(s.latest()), null);
  });
});
