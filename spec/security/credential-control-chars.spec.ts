// Credentials holding control characters (found by the write fuzzer on PostgreSQL, which cannot
// compare text holding NUL and answered those lookups with a 500): refused with a 401 before any
// lookup, on every store, for Basic keys, OAuth parameters, the authorize page's user name and its
// request token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSV, FORM, createSeries } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let ada: TestUser;
let id: string;
before(async () => {
  t = await startServer();
  ada = await t.user('ctl-ada');
  id = await createSeries(t.url, ada.basic);
});
after(() => t.close());

const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

describe('credentials with control characters', () => {
  it('a Basic key with NUL or another control character: 401, nothing written', async () => {
    for (const key of ['a\u0000b', '\u0000', 'k\u001fey', `${ada.key}\u0000`, 'x\u007f']) {
      const r = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, authorization: basic(key, ada.secret) }, body: '1,1\n' });
      assert.equal(r.status, 401, JSON.stringify(key));
      assert.match(await r.text(), /control character/);
    }
    const read = await fetch(`${t.url}/series/${id}/csv/`, { headers: { authorization: ada.basic } });
    assert.equal(await read.text(), '');
  });

  it('OAuth parameters holding NUL (percent-encoded in the header, the query or the form): 401', async () => {
    const header = 'OAuth oauth_consumer_key="c%00k", oauth_token="t", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_nonce="n", oauth_signature="s"';
    const a = await fetch(`${t.url}/series/${id}/value/json/`, { headers: { authorization: header } });
    assert.equal(a.status, 401);
    assert.match(await a.text(), /control character/);
    const b = await fetch(`${t.url}/series/${id}/value/json/?oauth_consumer_key=%00&oauth_signature=s&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_nonce=n`);
    assert.equal(b.status, 401);
    const c = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: FORM, body: 'value=1&oauth_consumer_key=%00&oauth_signature=s&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_nonce=n' });
    assert.equal(c.status, 401);
  });

  it('the authorize page: a request token or a user name with NUL is an ordinary refusal, not a 500', async () => {
    const page = await fetch(`${t.url}/oauth/authorize/?oauth_token=%00`);
    assert.ok(page.status >= 400 && page.status < 500, `GET: ${page.status}`);
    const post = await fetch(`${t.url}/oauth/authorize/`, { method: 'POST', headers: FORM, body: 'oauth_token=%00&user=a%00&password=x&authorize=1', redirect: 'manual' });
    assert.ok(post.status >= 400 && post.status < 500, `POST: ${post.status}`);
  });
});
