// The server's extensions (§6): range + paging with Link rel="next", ETag / If-None-Match, Server-Sent
// Events, CORS, and the series search — over a real socket.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSV, FORM, createSeries, readCsv } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let alice: TestUser;
before(async () => {
  t = await startServer({ heartbeatMs: 25 });
  alice = await t.user('ext-alice');
});
after(() => t.close());
const auth = () => ({ authorization: alice.basic });

async function seeded(n: number): Promise<string> {
  const id = await createSeries(t.url, alice.basic);
  let body = '';
  for (let i = 1; i <= n; i++) body += `${i},${i * 10}\n`;
  await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body });
  return id;
}

describe('range and paging', () => {
  it('follows Link rel="next" through every page without gaps or duplicates; the last page has no Link', async () => {
    const id = await seeded(25);
    let next: string | undefined = `${t.url}/series/${id}/csv/?limit=10`;
    const pages: string[] = [];
    while (next) {
      const r: Response = await fetch(next, { headers: auth() });
      assert.equal(r.status, 200);
      pages.push(await r.text());
      next = /<([^>]+)>;\s*rel="next"/.exec(r.headers.get('link') ?? '')?.[1];
    }
    assert.equal(pages.length, 3);
    assert.equal(pages.join(''), await readCsv(t.url, id, alice.basic));
  });

  it('start is inclusive, end exclusive, ISO 8601 or unix seconds', async () => {
    const id = await seeded(10);
    assert.equal(await readCsv(t.url, id, alice.basic, 'csv/?start=3&end=6'), '3,30\n4,40\n5,50\n');
    assert.equal(await readCsv(t.url, id, alice.basic, 'csv/?start=1970-01-01T00:00:08Z'), '8,80\n9,90\n10,100\n');
  });

  it('a page exactly at the end has no Link', async () => {
    const id = await seeded(4);
    const r = await fetch(`${t.url}/series/${id}/csv/?limit=4`, { headers: auth() });
    assert.equal(r.headers.get('link'), null);
    assert.equal(await r.text(), '1,10\n2,20\n3,30\n4,40\n');
  });
});

describe('conditional reads', () => {
  it('answers 304 with no body while unchanged, 200 with a new ETag after a write (value/json and csv)', async () => {
    const id = await seeded(2);
    for (const path of ['value/json/', 'csv/']) {
      const first = await fetch(`${t.url}/series/${id}/${path}`, { headers: auth() });
      const tag = first.headers.get('etag')!;
      assert.ok(tag);
      const again = await fetch(`${t.url}/series/${id}/${path}`, { headers: { ...auth(), 'if-none-match': tag } });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');
    }
    const tag = (await fetch(`${t.url}/series/${id}/value/json/`, { headers: auth() })).headers.get('etag')!;
    await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...FORM, ...auth() }, body: 'value=7' });
    const changed = await fetch(`${t.url}/series/${id}/value/json/`, { headers: { ...auth(), 'if-none-match': tag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), tag);
  });
});

/** Reads SSE frames from a fetch body until `until` says stop. */
async function readEvents(res: Response, until: (frames: string[]) => boolean): Promise<string[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: string[] = [];
  while (!until(frames)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      frames.push(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
    }
  }
  await reader.cancel();
  return frames;
}

describe('Server-Sent Events', () => {
  it('sends the current value first, then one event per change, with heartbeats', async () => {
    const id = await seeded(1);
    const ac = new AbortController();
    const res = await fetch(`${t.url}/series/${id}/value/events/`, { headers: auth(), signal: ac.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
    let wrote = false;
    const frames = await readEvents(res, (f) => {
      const data = f.filter((x) => x.includes('data:'));
      if (data.length === 1 && !wrote) {
        wrote = true;
        void fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body: '100,5\n' });
      }
      return data.length >= 2 && f.some((x) => x.startsWith(': heartbeat'));
    });
    const data = frames.filter((f) => f.includes('data:')).map((f) => JSON.parse(f.split('data: ')[1]!) as unknown);
    assert.deepEqual(data.slice(0, 2), [{ timestamp: 1, value: 10 }, { timestamp: 100, value: 5 }]);
    ac.abort();
  });

  it('is refused like any read (401 for anonymous on a private series)', async () => {
    const id = await seeded(1);
    assert.equal((await fetch(`${t.url}/series/${id}/value/events/`)).status, 401);
  });
});

describe('CORS', () => {
  it('answers preflights allowing Authorization and exposes Link, ETag and Location', async () => {
    const pre = await fetch(`${t.url}/series/abc/csv/`, {
      method: 'OPTIONS',
      headers: { origin: 'http://dash.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,if-none-match' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-headers')!.toLowerCase(), /authorization/);
    const id = await seeded(1);
    const r = await fetch(`${t.url}/series/${id}/csv/`, { headers: { ...auth(), origin: 'http://dash.example' } });
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    for (const h of ['link', 'etag', 'location']) assert.match(r.headers.get('access-control-expose-headers')!.toLowerCase(), new RegExp(h));
  });
});

describe('search', () => {
  it('lists readable series by text, user and tags, with paging; never another user\'s private ones', async () => {
    const bob = await t.user('ext-bob');
    const a = await createSeries(t.url, alice.basic, { title: 'Kitchen temperature', tags: 'home,temp', public: 'true' });
    const b = await createSeries(t.url, alice.basic, { title: 'Garage temperature', tags: 'temp' });
    await createSeries(t.url, bob.basic, { title: 'Bob secret temperature', tags: 'temp' });
    type Thin = { id: string; title: string; url: string; tags: string[] };
    const get = async (q: string, who = alice.basic) =>
      (await (await fetch(`${t.url}/${q}`, { headers: { authorization: who } })).json()) as Thin[];
    assert.deepEqual((await get('search/results.thin.json?q=temperature&u=ext-alice')).map((s) => s.id).sort(), [a, b].sort());
    assert.deepEqual((await get('search/results.thin.json?q=temperature', bob.basic)).map((s) => s.title).sort(), ['Bob secret temperature', 'Kitchen temperature']);
    assert.deepEqual((await get('tags/home;temp/results.thin.json')).map((s) => s.id), [a]);
    const page1 = await get('search/results.thin.json?u=ext-alice&q=temperature&n=1&p=1');
    const page2 = await get('search/results.thin.json?u=ext-alice&q=temperature&n=1&p=2');
    assert.equal(page1.length + page2.length, 2);
    assert.notEqual(page1[0]!.id, page2[0]!.id);
    assert.equal(page1[0]!.url, `${t.url}/series/${page1[0]!.id}/`);
    const anon = (await (await fetch(`${t.url}/search/results.thin.json?q=temperature`)).json()) as Thin[];
    assert.deepEqual(anon.map((s) => s.id), [a]);
  });
});
