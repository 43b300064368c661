// values$ asks for page N+1 as soon as page N's headers name it (readPointPages). Against the real
// server, page 2 detoured through the fault proxy: cutting the connection of the page asked ahead
// — before its answer, or in the middle of its body — still gives every point exactly once, in order; at most
// one page is asked ahead; unsubscribing aborts the page being read and the one asked ahead.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lastValueFrom, take, toArray } from 'rxjs';
import type { Point } from '../../src/codec/Point.js';
import { TimetricClient } from '../../src/index.js';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

const PAGE = 20_000;
const points: Point[] = Array.from({ length: 100_000 }, (_, i) => [1_600_000_000 + i * 0.25, i % 7 === 0 ? null : (i % 500) / 8] as const);

let t: TestServer;
let ada: TestUser;
let proxy: FaultProxy;
let seriesId: string;
before(async () => {
  t = await startServer();
  ada = await t.user('pipelined-ada');
  proxy = await startFaultProxy(Number(new URL(t.url).port));
  const s = await new TimetricClient({ authtype: 'apitoken', apitoken_key: ada.key, apitoken_secret: ada.secret }, { baseUrl: t.url }).createSeries({ title: 'p', caption: 'c' });
  seriesId = s.id;
  await lastValueFrom(s.update(points));
});
after(async () => {
  await proxy.close();
  await t.close();
});

interface Recorded {
  url: URL;
  signal: AbortSignal | null | undefined;
  /** The URL was named by an earlier answer's `Link: rel="next"` (not the first of a read). */
  linked: boolean;
}

/**
 * A client of the server whose fetch records each request (URL, signal, whether linked); with
 * `detour`, the first linked request (page 2, asked while page 1 is read) goes through the fault
 * proxy instead, on a connection of its own.
 */
function recordingClient(detour = false): { client: TimetricClient; requests: Recorded[] } {
  const requests: Recorded[] = [];
  const links = new Set<string>();
  let detoured = false;
  const client = new TimetricClient(
    { authtype: 'apitoken', apitoken_key: ada.key, apitoken_secret: ada.secret },
    {
      baseUrl: t.url,
      fetch: (input: string, init?: RequestInit) => {
        const linked = links.has(input);
        requests.push({ url: new URL(input), signal: init?.signal, linked });
        const url = detour && linked && !detoured ? ((detoured = true), input.replace(t.url, proxy.url)) : input;
        return fetch(url, init).then((r) => {
          const next = /<([^>]+)>/.exec(r.headers.get('link') ?? '')?.[1];
          if (next !== undefined) links.add(next);
          return r;
        });
      },
    },
  );
  return { client, requests };
}

describe('values$ with a page asked ahead', () => {
  for (const [name, afterBytes] of [
    ['before its answer', 0],
    ['in the middle of its body', 150_000],
  ] as const) {
    it(`every point once when the connection of the page asked ahead is cut ${name}`, async () => {
      const { client, requests } = recordingClient(true);
      const before = proxy.connections;
      proxy.cutNext(1, afterBytes);
      const read = await lastValueFrom(client.series(seriesId).values({ pageSize: PAGE }).pipe(toArray()));
      assert.equal(read.length, points.length);
      assert.deepEqual(read, points);
      assert.ok(proxy.connections > before, 'page 2 went through the proxy');
      // The cut was survived by resuming: one more read, from the last point emitted.
      const resumed = requests.slice(1).filter((r) => !r.linked);
      assert.equal(resumed.length, 1, `one resumed request, got ${requests.map((r) => r.url.search).join(' ')}`);
      const from = Number(resumed[0]!.url.searchParams.get('start'));
      if (afterBytes === 0) assert.equal(from, points[PAGE - 1]![0], 'resumed after the last point of page 1');
      else assert.ok(from > points[PAGE]![0] && from < points[2 * PAGE]![0], `resumed inside page 2, from ${from}`);
    });
  }

  it('asks at most one page ahead, and unsubscribing aborts the page being read and the one asked ahead', async () => {
    const { client, requests } = recordingClient();
    const got = await lastValueFrom(client.series(seriesId).values({ pageSize: PAGE }).pipe(take(PAGE + 5_000), toArray()));
    assert.deepEqual(got, points.slice(0, PAGE + 5_000));
    // Reading page 2: page 3 was asked ahead, page 4 not yet.
    assert.deepEqual(
      requests.map((r) => r.url.searchParams.get('start')),
      [null, String(points[PAGE]![0]), String(points[2 * PAGE]![0])],
    );
    assert.ok(requests.every((r) => r.signal?.aborted), 'every request signal aborted');
  });
});
