// Every endpoint of the wire contract (§3) over a real socket, in its historical encodings.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSV, FORM, createSeries, readCsv } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let alice: TestUser;
let now = 1_700_000_000;
before(async () => {
  t = await startServer({ clock: () => now });
  alice = await t.user('alice');
});
after(() => t.close());

const auth = () => ({ authorization: alice.basic });

describe('/create/', () => {
  it('(c) urlencoded metadata answers 303 with Location <base>/series/ID/ and stores the metadata', async () => {
    const r = await fetch(`${t.url}/create/`, {
      method: 'POST',
      headers: { ...FORM, ...auth() },
      body: 'title=Power&caption=Watts&tags=home,energy&tags=meter&description=d&public=true&site=garage',
      redirect: 'manual',
    });
    assert.equal(r.status, 303);
    const location = r.headers.get('location')!;
    assert.match(location, new RegExp(`^${t.url}/series/[A-Za-z0-9_-]{22}/$`));
    const id = location.split('/').at(-2)!;
    const s = await t.store.getSeries(id);
    assert.deepEqual(
      { title: s?.title, caption: s?.caption, tags: s?.tags, public: s?.public, description: s?.description, extra: s?.extra },
      { title: 'Power', caption: 'Watts', tags: ['home', 'energy', 'meter'], public: true, description: 'd', extra: { site: 'garage' } },
    );
  });

  it('(b) metadata in the query string with a raw text/csv body creates the series with its data', async () => {
    const r = await fetch(`${t.url}/create/?title=A&caption=B`, { method: 'POST', headers: { ...CSV, ...auth() }, body: '1,1\n2,2.5\n', redirect: 'manual' });
    assert.equal(r.status, 303);
    const id = r.headers.get('location')!.split('/').at(-2)!;
    assert.equal(await readCsv(t.url, id, alice.basic), '1,1\n2,2.5\n');
  });

  it('(a) multipart fields with a csv file part; Accept: application/json gets 201 and {id, url}', async () => {
    const fd = new FormData();
    fd.append('title', 'M');
    fd.append('caption', 'mc');
    fd.append('csv', new Blob(['2003-04-06T00:00:00,null\n1049587201,false\n']), 'data.csv');
    const r = await fetch(`${t.url}/create/`, { method: 'POST', headers: { ...auth(), accept: 'application/json' }, body: fd });
    assert.equal(r.status, 201);
    const body = (await r.json()) as { id: string; url: string };
    assert.equal(r.headers.get('location'), body.url);
    assert.equal(await readCsv(t.url, body.id, alice.basic), '1049587200,null\n1049587201,false\n');
  });

  it('refuses anonymous creation (401 + challenge) and missing title/caption (400), creating nothing', async () => {
    const anon = await fetch(`${t.url}/create/`, { method: 'POST', headers: FORM, body: 'title=a&caption=b', redirect: 'manual' });
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get('www-authenticate')!, /^Basic realm=/);
    const before = (await t.store.searchSeries({ viewerId: alice.id, limit: 1000, offset: 0 })).length;
    const r = await fetch(`${t.url}/create/`, { method: 'POST', headers: { ...FORM, ...auth() }, body: 'title=only', redirect: 'manual' });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /caption/);
    assert.equal((await t.store.searchSeries({ viewerId: alice.id, limit: 1000, offset: 0 })).length, before);
  });
});

describe('reads', () => {
  it('csv/, csv/unix.csv and csv/iso.csv give the history ascending; value/json the latest', async () => {
    const id = await createSeries(t.url, alice.basic);
    assert.deepEqual(await (await fetch(`${t.url}/series/${id}/value/json/`, { headers: auth() })).json(), { timestamp: null, value: null });
    await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body: '1236463646.39,3\n1049587200,true\n' });
    assert.equal(await readCsv(t.url, id, alice.basic), '1049587200,true\n1236463646.39,3\n');
    assert.equal(await readCsv(t.url, id, alice.basic, 'csv/unix.csv'), '1049587200,true\n1236463646.39,3\n');
    assert.equal(await readCsv(t.url, id, alice.basic, 'csv/iso.csv'), '2003-04-06T00:00:00Z,true\n2009-03-07T22:07:26.39Z,3\n');
    const r = await fetch(`${t.url}/series/${id}/value/json/`, { headers: auth() });
    assert.match(r.headers.get('content-type')!, /application\/json/);
    assert.deepEqual(await r.json(), { timestamp: 1236463646.39, value: 3 });
  });
});

describe('writes', () => {
  it('POST value=V appends at the server clock, accepting Python str() text and the query-string repeat', async () => {
    const id = await createSeries(t.url, alice.basic);
    now = 1_700_000_100;
    const r = await fetch(`${t.url}/series/${id}/?value=10.0`, { method: 'POST', headers: { ...FORM, ...auth() }, body: 'value=10.0' });
    assert.equal(r.status, 204);
    now = 1_700_000_101;
    await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...FORM, ...auth() }, body: 'value=NULL' });
    assert.equal(await readCsv(t.url, id, alice.basic), '1700000100,10\n1700000101,null\n');
  });

  it('POST increment=D adds to the latest value (base 0 when empty), negative too', async () => {
    const id = await createSeries(t.url, alice.basic);
    for (const [i, d] of ['14', '-2.0', '0.5'].entries()) {
      now = 1_700_001_000 + i;
      assert.equal((await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...FORM, ...auth() }, body: `increment=${d}` })).status, 204);
    }
    assert.equal(await readCsv(t.url, id, alice.basic), '1700001000,14\n1700001001,12\n1700001002,12.5\n');
  });

  it('POST CSV (raw or multipart part csv) merges; a timestamp that exists is replaced, not duplicated', async () => {
    const id = await createSeries(t.url, alice.basic);
    await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body: '1,1\n2,2\n' });
    const fd = new FormData();
    fd.append('csv', new Blob(['2,20\r\n3, 30\r\n']), 'x.csv');
    assert.equal((await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: auth(), body: fd })).status, 204);
    assert.equal(await readCsv(t.url, id, alice.basic), '1,1\n2,20\n3,30\n');
  });

  it('PUT replaces the whole history and leaves the metadata alone', async () => {
    const id = await createSeries(t.url, alice.basic, { title: 'Keep' });
    await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body: '1,1\n2,2\n' });
    const r = await fetch(`${t.url}/series/${id}/`, { method: 'PUT', headers: { ...CSV, ...auth() }, body: '5,5\n' });
    assert.equal(r.status, 204);
    assert.equal(await readCsv(t.url, id, alice.basic), '5,5\n');
    assert.equal((await t.store.getSeries(id))?.title, 'Keep');
  });

  it('DELETE removes the series; later requests get 404', async () => {
    const id = await createSeries(t.url, alice.basic);
    assert.equal((await fetch(`${t.url}/series/${id}/`, { method: 'DELETE', headers: auth() })).status, 204);
    assert.equal((await fetch(`${t.url}/series/${id}/csv/`, { headers: auth() })).status, 404);
    assert.equal((await fetch(`${t.url}/series/${id}/`, { method: 'DELETE', headers: auth() })).status, 404);
  });

  it('accepts slash-less writes and redirects slash-less GETs', async () => {
    const id = await createSeries(t.url, alice.basic);
    assert.equal((await fetch(`${t.url}/series/${id}`, { method: 'POST', headers: { ...FORM, ...auth() }, body: 'value=1' })).status, 204);
    const r = await fetch(`${t.url}/series/${id}/csv?limit=5`, { headers: auth(), redirect: 'manual' });
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), `/series/${id}/csv/?limit=5`);
    const created = await fetch(`${t.url}/create`, { method: 'POST', headers: { ...FORM, ...auth() }, body: 'title=a&caption=b', redirect: 'manual' });
    assert.equal(created.status, 303);
  });
});
