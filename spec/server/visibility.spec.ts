// Who may read and write what (§7): anonymous → 401 + challenge without revealing existence;
// another user's private series or an unknown id → 404; writing to another user's public series → 403.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FORM, createSeries } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let alice: TestUser;
let bob: TestUser;
let priv: string;
let pub: string;
const unknown = 'AAAAAAAAAAAAAAAAAAAAAA';
before(async () => {
  t = await startServer();
  alice = await t.user('vis-alice');
  bob = await t.user('vis-bob');
  priv = await createSeries(t.url, alice.basic, { title: 'private' });
  pub = await createSeries(t.url, alice.basic, { title: 'public', public: 'true' });
});
after(() => t.close());

const read = (id: string, who?: TestUser) => fetch(`${t.url}/series/${id}/value/json/`, { headers: who ? { authorization: who.basic } : {} });
const write = (id: string, who?: TestUser) =>
  fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...FORM, ...(who ? { authorization: who.basic } : {}) }, body: 'value=1' });

describe('visibility', () => {
  it('anonymous: public series readable; private and unknown both 401 with a challenge', async () => {
    assert.equal((await read(pub)).status, 200);
    for (const id of [priv, unknown]) {
      const r = await read(id);
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate')!, /Basic realm="Timetric"/);
    }
    assert.equal((await write(pub)).status, 401);
  });

  it('signed in: own series readable and writable; another user\'s private or an unknown id is 404', async () => {
    assert.equal((await read(priv, alice)).status, 200);
    assert.equal((await write(priv, alice)).status, 204);
    assert.equal((await read(priv, bob)).status, 404);
    assert.equal((await read(unknown, bob)).status, 404);
    assert.equal((await write(priv, bob)).status, 404);
    assert.equal((await fetch(`${t.url}/series/${priv}/`, { method: 'DELETE', headers: { authorization: bob.basic } })).status, 404);
  });

  it('another user\'s public series: readable, but writing is 403', async () => {
    assert.equal((await read(pub, bob)).status, 200);
    const r = await write(pub, bob);
    assert.equal(r.status, 403);
    assert.match(await r.text(), /another user/);
  });

  it('wrong credentials are 401 even on public series', async () => {
    const wrong = `Basic ${Buffer.from(`${alice.key}:nope`).toString('base64')}`;
    assert.equal((await fetch(`${t.url}/series/${pub}/value/json/`, { headers: { authorization: wrong } })).status, 401);
  });
});
