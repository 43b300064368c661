// Topic titles to series against our server: found by exact title or created once, concurrent
// lookups shared, retried with backoff (delays recorded on the client's scheduler, not waited for)
// while the server is unreachable, a refusal forgotten so the next message tries again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asapScheduler, lastValueFrom, toArray, type SchedulerAction } from 'rxjs';
import { HttpError, NetworkError, TimetricClient } from '../../src/index.js';
import { SeriesResolver } from '../../src/cli/bridge/SeriesResolver.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let user: TestUser;
before(async () => {
  t = await startServer();
  user = await t.user('resolver');
});
after(() => t.close());

const urlOf = (input: Parameters<typeof fetch>[0]): string => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

function setup(fail: (url: string, method: string) => Error | Response | undefined = () => undefined, run = true) {
  const delays: number[] = [];
  // Runs every scheduled task at once and records the delay asked for.
  const scheduler = {
    now: () => Date.now(),
    schedule: (work: (this: SchedulerAction<unknown>, state?: unknown) => void, delay?: number, state?: unknown) => {
      delays.push(delay ?? 0);
      return run ? asapScheduler.schedule(work, 0, state) : asapScheduler.schedule(() => undefined, 0);
    },
  };
  const calls: string[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = urlOf(input);
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${new URL(url).pathname}`);
    const failure = fail(url, method);
    if (failure instanceof Error) throw failure;
    return failure ?? fetch(input, init);
  };
  const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: user.key, apitoken_secret: user.secret }, { baseUrl: t.url, fetch: fetchImpl, scheduler, timeoutMs: 0 });
  const stop = new AbortController();
  return { client, delays, calls, stop, resolver: new SeriesResolver(client, stop.signal) };
}

describe('SeriesResolver', () => {
  it('finds a series by its exact title, or creates it once for concurrent lookups', async () => {
    const { client, resolver, calls } = setup();
    const existing = await client.createSeries({ title: 'res/a', caption: 'c' });
    await client.createSeries({ title: 'res/a/longer', caption: 'c' });
    assert.equal(await resolver.resolve('res/a'), existing.id);
    calls.length = 0;
    const [x, y] = await Promise.all([resolver.resolve('res/new'), resolver.resolve('res/new')]);
    assert.equal(x, y);
    assert.deepEqual(calls, ['GET /search/results.thin.json', 'POST /create/']);
    assert.equal(await resolver.resolve('res/new'), x, 'remembered');
    assert.equal(calls.length, 2);
    const created = (await lastValueFrom(client.search({ q: 'res/new' }).pipe(toArray()))).find((s) => s.id === x);
    assert.deepEqual(created && { title: created.title, tags: created.tags }, { title: 'res/new', tags: ['mqtt'] });
    assert.equal(resolver.created, 1);
  });

  it('retries with growing backoff while the server is unreachable', async () => {
    let failures = 3;
    const { resolver, delays } = setup(() => (failures-- > 0 ? new TypeError('fetch failed') : undefined));
    const id = await resolver.resolve('res/retried');
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(delays.length, 3);
    assert.ok(delays[0]! >= 250 && delays[0]! < 500, String(delays));
    assert.ok(delays[1]! >= 500 && delays[1]! < 1000, String(delays));
    assert.ok(delays[2]! >= 1000 && delays[2]! < 2000, String(delays));
  });

  it('forgets a refusal, so the next lookup tries again', async () => {
    let refuse = true;
    const { resolver } = setup((url, method) => (refuse && method === 'POST' ? new Response('no', { status: 403 }) : undefined));
    await assert.rejects(resolver.resolve('res/refused'), (err: unknown) => err instanceof HttpError && err.status === 403);
    refuse = false;
    assert.match(await resolver.resolve('res/refused'), /^[A-Za-z0-9_-]{22}$/);
  });

  it('gives up with the last failure when stopped while it waits', async () => {
    const reset = new TypeError('fetch failed');
    const { resolver, delays, calls, stop } = setup(() => reset, false);
    const id = resolver.resolve('res/stopped');
    while (delays.length === 0) await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    await assert.rejects(id, (err: unknown) => err instanceof NetworkError && err.cause === reset);
    assert.equal(calls.length, 1, 'no attempt after the stop');
  });
});
