// Where OAuth parameters may travel (header, query, urlencoded body), the multipart quirk of the
// historical client, and malformed input — at the verifier, with fixed secrets and a fixed clock.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it, beforeEach } from 'node:test';
import Database from 'better-sqlite3';
import { oauthBaseString, oauthPercentEncode, oauthSigningKey } from '../../src/codec/oauthBaseString.js';
import type { AuthRequest } from '../../src/server/auth/Authenticator.js';
import { createAuthenticator } from '../../src/server/auth/createAuthenticator.js';
import { authMigrations } from '../../src/server/store/sqlite/authMigrations.js';
import { SqliteAuthStore } from '../../src/server/store/sqlite/SqliteAuthStore.js';

const NOW = 1_300_000_000;
const URL_ = 'http://timetric.example:8080/create/';
let nonce = 0;

function protocol(extra: Record<string, string> = {}): Record<string, string> {
  return {
    oauth_consumer_key: 'ck', oauth_token: 'at', oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(NOW), oauth_nonce: `n${++nonce}`, oauth_version: '1.0', ...extra,
  };
}

function sign(method: string, url: string, params: Record<string, string | string[]>): string {
  return createHmac('sha1', oauthSigningKey('c secret', 't secret')).update(oauthBaseString(method, url, params)).digest('base64');
}

const header = (p: Record<string, string>): string =>
  `OAuth realm="", ${Object.entries(p).map(([k, v]) => `${oauthPercentEncode(k)}="${oauthPercentEncode(v)}"`).join(', ')}`;

describe('OAuth parameter transmission', () => {
  let store: SqliteAuthStore;
  const auth = (): ReturnType<typeof createAuthenticator> => createAuthenticator(store, { clock: () => NOW });
  beforeEach(async () => {
    const db = new Database(':memory:');
    for (const m of authMigrations) db.exec(m.sql);
    store = new SqliteAuthStore(db);
    const u = await store.createUser('ada', 'scrypt$x$y');
    await store.createConsumer({ key: 'ck', secret: 'c secret', name: 'c', callback: null });
    await store.saveOAuthToken({ token: 'at', secret: 't secret', consumerKey: 'ck', kind: 'access', userId: u.id, callback: null, verifier: null, expiresAt: null });
  });

  it('reads them from the Authorization header, form fields signed too', async () => {
    const p = protocol();
    const form = { title: 'Ünïcode & spaces', tags: ['a', 'b'] };
    const req: AuthRequest = { method: 'POST', url: URL_, headers: { authorization: header({ ...p, oauth_signature: sign('POST', URL_, { ...p, ...form }) }) }, form };
    assert.equal((await auth().authenticate(req))?.userName, 'ada');
  });

  it('reads them from the query string (GET, historical client ≤ 1.2)', async () => {
    const p = protocol();
    const url = `http://timetric.example:8080/series/x/csv/?start=1&${new URLSearchParams(p).toString()}`;
    const signature = sign('GET', url, {});
    const req: AuthRequest = { method: 'GET', url: `${url}&oauth_signature=${encodeURIComponent(signature)}`, headers: {} };
    assert.equal((await auth().authenticate(req))?.via, 'oauth');
  });

  it('reads them from an urlencoded body (POST, historical client ≤ 1.2)', async () => {
    const p = protocol();
    const form = { value: '10.0', ...p };
    const req: AuthRequest = { method: 'POST', url: 'http://timetric.example/series/x/', headers: {}, form: { ...form, oauth_signature: sign('POST', 'http://timetric.example/series/x/', form) } };
    assert.equal((await auth().authenticate(req))?.userName, 'ada');
  });

  it('accepts a multipart request signed with or without its text fields, not with other fields', async () => {
    const multipartFields = { title: 'Power', caption: 'kW' };
    const withFields = protocol();
    const a: AuthRequest = { method: 'POST', url: URL_, headers: { authorization: header({ ...withFields, oauth_signature: sign('POST', URL_, { ...withFields, ...multipartFields }) }) }, multipartFields };
    assert.equal((await auth().authenticate(a))?.userName, 'ada');
    const without = protocol();
    const b: AuthRequest = { method: 'POST', url: URL_, headers: { authorization: header({ ...without, oauth_signature: sign('POST', URL_, without) }) }, multipartFields };
    assert.equal((await auth().authenticate(b))?.userName, 'ada');
    const other = protocol();
    const c: AuthRequest = { method: 'POST', url: URL_, headers: { authorization: header({ ...other, oauth_signature: sign('POST', URL_, { ...other, title: 'Other' }) }) }, multipartFields };
    await assert.rejects(auth().authenticate(c), /invalid OAuth signature/);
  });

  it('tolerates one parameter repeated with the same value in query and body, refuses different values', async () => {
    const p = protocol();
    const url = `http://timetric.example/series/x/?oauth_nonce=${p.oauth_nonce}`;
    const form = { ...p };
    const ok: AuthRequest = { method: 'POST', url, headers: {}, form: { ...form, oauth_signature: sign('POST', url, form) } };
    assert.equal((await auth().authenticate(ok))?.userName, 'ada');
    const bad: AuthRequest = { method: 'POST', url: 'http://timetric.example/series/x/?oauth_nonce=zzz', headers: {}, form: { ...protocol(), oauth_signature: 'x' } };
    await assert.rejects(auth().authenticate(bad), /given twice with different values/);
  });

  it('names what is wrong with malformed or incomplete requests', async () => {
    const a = auth();
    const h = (text: string): AuthRequest => ({ method: 'GET', url: 'http://x/', headers: { authorization: text } });
    await assert.rejects(a.authenticate(h('OAuth oauth_consumer_key="%E0%A4%A"')), /malformed percent-encoding/);
    await assert.rejects(a.authenticate(h('OAuth oauth_consumer_key="ck" garbage')), /malformed OAuth Authorization header/);
    await assert.rejects(a.authenticate(h('OAuth oauth_signature="x"')), /oauth_consumer_key is missing/);
    await assert.rejects(a.authenticate(h(header({ ...protocol(), oauth_signature_method: 'RSA-SHA1', oauth_signature: 'x' }))), /unsupported oauth_signature_method/);
    await assert.rejects(a.authenticate(h(header({ ...protocol(), oauth_version: '2.0', oauth_signature: 'x' }))), /unsupported oauth_version/);
    await assert.rejects(a.authenticate(h(header({ ...protocol(), oauth_timestamp: 'soon', oauth_signature: 'x' }))), /oauth_timestamp is missing or not whole/);
    const consumerOnly = protocol();
    delete consumerOnly.oauth_token;
    await assert.rejects(
      a.authenticate(h(header({ ...consumerOnly, oauth_signature: createHmac('sha1', oauthSigningKey('c secret')).update(oauthBaseString('GET', 'http://x/', consumerOnly)).digest('base64') }))),
      /need an authorized access token/,
    );
  });

  it('accepts PLAINTEXT signatures', async () => {
    const p = protocol({ oauth_signature_method: 'PLAINTEXT' });
    const req: AuthRequest = { method: 'GET', url: 'http://x/', headers: { authorization: header({ ...p, oauth_signature: oauthSigningKey('c secret', 't secret') }) } };
    assert.equal((await auth().authenticate(req))?.userName, 'ada');
    const wrong: AuthRequest = { method: 'GET', url: 'http://x/', headers: { authorization: header({ ...protocol({ oauth_signature_method: 'PLAINTEXT' }), oauth_signature: 'c%20secret&nope' }) } };
    await assert.rejects(auth().authenticate(wrong), /invalid OAuth signature/);
  });
});

describe('OAuth endpoints seen by a server-wide authentication hook', () => {
  it('treats OAuth-signed requests to /oauth/request_token/ and /oauth/access_token/ as anonymous', async () => {
    const db = new Database(':memory:');
    for (const m of authMigrations) db.exec(m.sql);
    const a = createAuthenticator(new SqliteAuthStore(db), { clock: () => NOW });
    const headers = { authorization: 'OAuth oauth_consumer_key="ck", oauth_signature="x"' };
    assert.equal(await a.authenticate({ method: 'POST', url: 'http://h:1/oauth/request_token/', headers }), null);
    assert.equal(await a.authenticate({ method: 'GET', url: 'http://h/oauth/access_token?oauth_token=x', headers }), null);
    await assert.rejects(a.authenticate({ method: 'GET', url: 'http://h/oauth/access_token/x', headers }), /unsupported oauth_signature_method/);
  });
});

describe('toAuthRequest', () => {
  it('uses the URL as sent (before rewrites), the public URL when given, and urlencoded fields', async () => {
    const { default: Fastify } = await import('fastify');
    const { default: formbody } = await import('@fastify/formbody');
    const { toAuthRequest } = await import('../../src/server/auth/toAuthRequest.js');
    const app = Fastify({ rewriteUrl: (req) => (req.url === '/a' ? '/a/' : (req.url ?? '/')) });
    await app.register(formbody);
    app.post('/a/', (req) => ({ direct: toAuthRequest(req), proxied: toAuthRequest(req, 'https://api.example.com/') }));
    const res = await app.inject({ method: 'POST', url: '/a', headers: { host: 'internal:8080', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'x=1&x=2&y=' });
    const body = res.json<{ direct: AuthRequest; proxied: AuthRequest }>();
    assert.equal(body.direct.url, 'http://internal:8080/a');
    assert.equal(body.proxied.url, 'https://api.example.com/a');
    assert.deepEqual(body.direct.form, { x: ['1', '2'], y: '' });
    await app.close();
  });
});

describe('registerOAuthRoutes on any Fastify app', () => {
  it('mounts with and without ignoreTrailingSlash, answering both path forms', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerOAuthRoutes } = await import('../../src/server/auth/registerOAuthRoutes.js');
    for (const ignoreTrailingSlash of [false, true]) {
      const db = new Database(':memory:');
      for (const m of authMigrations) db.exec(m.sql);
      const app = Fastify({ ignoreTrailingSlash });
      registerOAuthRoutes(app, { store: new SqliteAuthStore(db) });
      await app.ready();
      for (const url of ['/oauth/request_token/', '/oauth/request_token', '/oauth/authorize', '/oauth/access_token']) {
        const res = await app.inject({ method: 'GET', url });
        assert.ok([400, 401].includes(res.statusCode), `${url} (ignoreTrailingSlash ${ignoreTrailingSlash}): ${res.statusCode}`);
      }
      await app.close();
    }
  });
});
