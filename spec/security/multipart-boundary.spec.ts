// Issue #11, finding 12a: a multipart write whose Content-Type has no usable boundary is a 400
// naming the problem (it was a 500 from the multipart parser), on every write route, before the
// body is read; nothing is applied. A quoted boundary is read as such.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSeries, readCsv } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let alice: TestUser;
before(async () => {
  t = await startServer();
  alice = await t.user('boundary-alice');
});
after(() => t.close());

const body = '--b1\r\nContent-Disposition: form-data; name="csv"; filename="d.csv"\r\n\r\n1,1\n\r\n--b1--\r\n';

describe('multipart without a boundary', () => {
  for (const type of ['multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; charset=utf-8', `multipart/form-data; boundary=${'x'.repeat(71)}`]) {
    it(`${JSON.stringify(type)}: 400 on POST and PUT /series/ID/ and POST /create/, nothing applied`, async () => {
      const id = await createSeries(t.url, alice.basic);
      for (const [method, path] of [
        ['POST', `/series/${id}/`],
        ['PUT', `/series/${id}/`],
        ['POST', '/create/'],
      ] as const) {
        const r = await fetch(`${t.url}${path}`, { method, headers: { authorization: alice.basic, 'content-type': type }, body, redirect: 'manual' });
        assert.equal(r.status, 400, `${method} ${path}`);
        assert.match(await r.text(), /multipart\/form-data without a boundary/);
      }
      assert.equal(await readCsv(t.url, id, alice.basic), '', 'nothing applied');
    });
  }

  it('is refused before the credentials are looked at (a malformed request is malformed for anyone)', async () => {
    const r = await fetch(`${t.url}/create/`, { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body, redirect: 'manual' });
    assert.equal(r.status, 400);
  });

  it('a quoted boundary works', async () => {
    const id = await createSeries(t.url, alice.basic);
    const r = await fetch(`${t.url}/series/${id}/`, {
      method: 'POST',
      headers: { authorization: alice.basic, 'content-type': 'multipart/form-data; boundary="b1"' },
      body,
    });
    assert.equal(r.status, 204, await r.text());
    assert.equal(await readCsv(t.url, id, alice.basic), '1,1\n');
  });
});
