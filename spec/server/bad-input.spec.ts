// Bad input gets a clear 4xx naming the problem, and nothing is half-applied (§7).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CSV, FORM, createSeries, readCsv } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let alice: TestUser;
before(async () => {
  t = await startServer();
  alice = await t.user('bad-alice');
});
after(() => t.close());
const auth = () => ({ authorization: alice.basic });

/** Sends raw bytes and returns what the server answered (until it closes or `ms` pass). */
function raw(request: string): Promise<string> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('CSV bodies', () => {
  it('a bad line answers 400 with its line number and text, and applies none of the body', async () => {
    const id = await createSeries(t.url, alice.basic);
    await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body: '1,1\n' });
    let body = '';
    for (let i = 2; i < 5000; i++) body += `${i},${i}\n`;
    body += '5000,oops\n5001,1\n';
    for (const method of ['POST', 'PUT']) {
      const r = await fetch(`${t.url}/series/${id}/`, { method, headers: { ...CSV, ...auth() }, body });
      assert.equal(r.status, 400);
      const text = await r.text();
      assert.match(text, /line 4999/);
      assert.match(text, /5000,oops/);
    }
    assert.equal(await readCsv(t.url, id, alice.basic), '1,1\n');
  });

  it('a bad line in /create/ data creates no series', async () => {
    const before = (await t.store.searchSeries({ viewerId: alice.id, limit: 1000, offset: 0 })).length;
    const fd = new FormData();
    fd.append('title', 'x');
    fd.append('caption', 'y');
    fd.append('csv', new Blob(['1,1\n2,NaN\n']), 'a.csv');
    const r = await fetch(`${t.url}/create/`, { method: 'POST', headers: auth(), body: fd, redirect: 'manual' });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /line 2.*NaN/);
    const raw = await fetch(`${t.url}/create/?title=a&caption=b`, { method: 'POST', headers: { ...CSV, ...auth() }, body: 'soon,1\n', redirect: 'manual' });
    assert.equal(raw.status, 400);
    assert.equal((await t.store.searchSeries({ viewerId: alice.id, limit: 1000, offset: 0 })).length, before);
  });

  it('a body cut off mid-way applies nothing', async () => {
    const id = await createSeries(t.url, alice.basic);
    const { hostname, port } = new URL(t.url);
    const head = `POST /series/${id}/ HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: ${alice.basic}\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n`;
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(head + '1,1\n2,2\n3,3\n');
        setImmediate(() => socket.destroy());
      });
      socket.on('close', () => resolve());
    });
    // Whatever the server is doing with the dead request, a later complete write goes through alone.
    await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body: '9,9\n' });
    assert.equal(await readCsv(t.url, id, alice.basic), '9,9\n');
  });

  it('two uploads replacing one series at once never interleave', async () => {
    const id = await createSeries(t.url, alice.basic);
    const body = (v: number) => Array.from({ length: 20000 }, (_, i) => `${i},${v}\n`).join('');
    const results = await Promise.all(
      [1, 2].map((v) => fetch(`${t.url}/series/${id}/`, { method: 'PUT', headers: { ...CSV, ...auth() }, body: body(v) })),
    );
    assert.deepEqual(results.map((r) => r.status), [204, 204]);
    const values = new Set((await readCsv(t.url, id, alice.basic)).trim().split('\n').map((l) => l.split(',')[1]));
    assert.equal(values.size, 1);
  });
});

describe('parameters and fields', () => {
  it('values and increments that are not numbers, NaN or Infinity answer 400 naming the problem', async () => {
    const id = await createSeries(t.url, alice.basic);
    for (const body of ['value=abc', 'value=NaN', 'value=Infinity', 'increment=true', 'increment=x', 'value=1&increment=2', 'other=1']) {
      const r = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...FORM, ...auth() }, body });
      assert.equal(r.status, 400, body);
      assert.match(r.headers.get('content-type')!, /text\/plain/);
      assert.ok((await r.text()).length > 10);
    }
    await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...FORM, ...auth() }, body: 'value=true' });
    const conflict = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...FORM, ...auth() }, body: 'increment=1' });
    assert.equal(conflict.status, 409);
    assert.match(await conflict.text(), /not a number/);
  });

  it('invalid start, end or limit answer 400 naming the parameter', async () => {
    const id = await createSeries(t.url, alice.basic);
    for (const [q, name] of [['start=yesterday', 'start'], ['end=NaN', 'end'], ['limit=-1', 'limit'], ['limit=1.5', 'limit'], ['start=1700000000000', 'start']]) {
      const r = await fetch(`${t.url}/series/${id}/csv/?${q}`, { headers: auth() });
      assert.equal(r.status, 400, q);
      assert.match(await r.text(), new RegExp(`invalid ${name}`));
    }
  });

  it('a NUL character in a /create/ field answers 400 naming the field, on every store', async () => {
    for (const body of [new URLSearchParams({ title: 'a\0b', caption: 'C' }), new URLSearchParams({ title: 'T', caption: 'C', 'x\0y': '1' })]) {
      const r = await fetch(`${t.url}/create/`, { method: 'POST', headers: { ...FORM, authorization: alice.basic }, body, redirect: 'manual' });
      assert.equal(r.status, 400);
      assert.match(await r.text(), /field "(title|x\\u0000y)" contains a NUL character/);
    }
  });

  it('a malformed series id answers 400', async () => {
    const r = await fetch(`${t.url}/series/not-an-id/csv/`, { headers: auth() });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /malformed series id/);
  });

  it('form bodies over 1 MB answer 413', async () => {
    const id = await createSeries(t.url, alice.basic);
    const r = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...FORM, ...auth() }, body: `value=1&pad=${'x'.repeat(1_100_000)}` });
    assert.equal(r.status, 413);
    const fd = new FormData();
    fd.append('title', 'x'.repeat(1_100_000));
    fd.append('caption', 'c');
    const m = await fetch(`${t.url}/create/`, { method: 'POST', headers: auth(), body: fd, redirect: 'manual' });
    assert.equal(m.status, 413);
  });

  it('an over-long request line answers 414 and over-large headers 431, with a text body', async () => {
    const long = await raw(`GET /series/${'a'.repeat(20_000)}/csv/ HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.match(long, /^HTTP\/1\.1 414 /);
    assert.match(long, /request line too long/);
    const big = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    assert.match(big, /^HTTP\/1\.1 431 /);
    assert.match(big, /headers too large/);
  });
});
