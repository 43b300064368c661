// OAuth signature checking against the worked examples of RFC 5849 (text read from the RFC:
// §1.2 photos.example.net, §3.1 / §3.4.1.1 example.com). Each request is given to the verifier as the
// RFC prints it — header folded onto one line — with the server clock at the RFC's timestamps.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it, beforeEach } from 'node:test';
import Database from 'better-sqlite3';
import { oauthBaseString } from '../../src/codec/oauthBaseString.js';
import { AuthFailure } from '../../src/server/auth/AuthFailure.js';
import type { AuthRequest } from '../../src/server/auth/Authenticator.js';
import { createAuthenticator } from '../../src/server/auth/createAuthenticator.js';
import { verifyOAuthRequest } from '../../src/server/auth/verifyOAuthRequest.js';
import { authMigrations } from '../../src/server/store/sqlite/authMigrations.js';
import { SqliteAuthStore } from '../../src/server/store/sqlite/SqliteAuthStore.js';

const oauthHeader = (pairs: Record<string, string>): string =>
  `OAuth ${Object.entries(pairs)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',\n   ')}`;

async function photosStore(): Promise<SqliteAuthStore> {
  const db = new Database(':memory:');
  for (const m of authMigrations) db.exec(m.sql);
  const store = new SqliteAuthStore(db);
  const jane = await store.createUser('jane', 'scrypt$x$y');
  await store.createConsumer({ key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44', name: 'printer.example.com', callback: null });
  await store.saveOAuthToken({
    token: 'hh5s93j4hdidpola', secret: 'hdhd0244k9j7ao03', consumerKey: 'dpf43f3p2l4k3l03', kind: 'request',
    userId: jane.id, callback: 'http://printer.example.com/ready', verifier: 'hfdp7dh39dks9884', expiresAt: 137131200 + 3600,
  });
  await store.saveOAuthToken({
    token: 'nnch734d00sl2jdk', secret: 'pfkkdhi9sl3r4s00', consumerKey: 'dpf43f3p2l4k3l03', kind: 'access',
    userId: jane.id, callback: null, verifier: null, expiresAt: null,
  });
  await store.createConsumer({ key: '9djdj82h48djs9d2', secret: 'j49sk3j29djd', name: 'example', callback: null });
  await store.saveOAuthToken({
    token: 'kkk9d7dh3k39sjv7', secret: 'dh893hdasih9', consumerKey: '9djdj82h48djs9d2', kind: 'access',
    userId: jane.id, callback: null, verifier: null, expiresAt: null,
  });
  return store;
}

// RFC 5849 §1.2: the temporary-credential request (HTTPS POST /initiate).
const initiate: AuthRequest = {
  method: 'POST',
  url: 'https://photos.example.net/initiate',
  headers: {
    host: 'photos.example.net',
    authorization: oauthHeader({
      realm: 'Photos', oauth_consumer_key: 'dpf43f3p2l4k3l03', oauth_signature_method: 'HMAC-SHA1', oauth_timestamp: '137131200',
      oauth_nonce: 'wIjqoS', oauth_callback: 'http%3A%2F%2Fprinter.example.com%2Fready', oauth_signature: '74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D',
    }),
  },
};
// §1.2: the token request (HTTPS POST /token) with the temporary credentials and the verifier.
const tokenRequest: AuthRequest = {
  method: 'POST',
  url: 'https://photos.example.net/token',
  headers: {
    authorization: oauthHeader({
      realm: 'Photos', oauth_consumer_key: 'dpf43f3p2l4k3l03', oauth_token: 'hh5s93j4hdidpola', oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131201', oauth_nonce: 'walatlh', oauth_verifier: 'hfdp7dh39dks9884', oauth_signature: 'gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D',
    }),
  },
};
// §1.2: the protected resource (HTTP GET /photos?file=vacation.jpg&size=original).
const photo: AuthRequest = {
  method: 'GET',
  url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
  headers: {
    authorization: oauthHeader({
      realm: 'Photos', oauth_consumer_key: 'dpf43f3p2l4k3l03', oauth_token: 'nnch734d00sl2jdk', oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131202', oauth_nonce: 'chapoH', oauth_signature: 'MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D',
    }),
  },
};

// §3.4.1.1: the signature base string of the example.com request, exactly as printed (joined).
const RFC_BASE_STRING =
  'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q' +
  '%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_' +
  'key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m' +
  'ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk' +
  '9d7dh3k39sjv7';
// HMAC-SHA1 of that literal string with key "j49sk3j29djd&dh893hdasih9" (§3.1's client and token
// secrets), computed with node:crypto alone. RFC 5849 §3.1 prints bYT5CMsGcbgUdFHObYMEfcx6bsw= for
// this request, which does not follow from its own base string and secrets (checked below).
const SECTION_3_1_KEY = 'j49sk3j29djd&dh893hdasih9';
const example = (signature: string): AuthRequest => ({
  method: 'POST',
  url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
  headers: {
    host: 'example.com',
    'content-type': 'application/x-www-form-urlencoded',
    authorization: oauthHeader({
      realm: 'Example', oauth_consumer_key: '9djdj82h48djs9d2', oauth_token: 'kkk9d7dh3k39sjv7', oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131201', oauth_nonce: '7d8f3e4a', oauth_signature: encodeURIComponent(signature),
    }),
  },
  // The body "c2&a3=2+q", decoded.
  form: { c2: '', a3: '2 q' },
});

describe('RFC 5849 worked examples', () => {
  let store: SqliteAuthStore;
  const at = (t: number) => ({ clock: () => t, timestampSkewSeconds: 300 });
  beforeEach(async () => {
    store = await photosStore();
  });

  it('§1.2 temporary-credential request: signature 74KNZJeDHnMBp0EMJ9ZHt/XKycU= verifies, callback read', async () => {
    const v = await verifyOAuthRequest(store, initiate, { ...at(137131200), token: 'none' });
    assert.equal(v.consumer.key, 'dpf43f3p2l4k3l03');
    assert.equal(v.oauth.oauth_callback, 'http://printer.example.com/ready');
  });

  it('§1.2 token request: signature gKgrFCywp7rO0OXSjdot/IHF7IU= verifies with the temporary secret', async () => {
    const v = await verifyOAuthRequest(store, tokenRequest, { ...at(137131201), token: 'request' });
    assert.equal(v.token?.token, 'hh5s93j4hdidpola');
    assert.equal(v.oauth.oauth_verifier, 'hfdp7dh39dks9884');
  });

  it('§1.2 photo request: signature MdpQcU8iPSUjWoN/UDMsK2sui9I= authenticates jane', async () => {
    const auth = createAuthenticator(store, at(137131202));
    assert.deepEqual(await auth.authenticate(photo), { userId: 1, userName: 'jane', via: 'oauth' });
  });

  it('§1.2 photo request: base string as RFC 5849 §3.4.1 builds it', () => {
    assert.equal(
      oauthBaseString('GET', photo.url, {
        oauth_consumer_key: 'dpf43f3p2l4k3l03', oauth_token: 'nnch734d00sl2jdk', oauth_signature_method: 'HMAC-SHA1',
        oauth_timestamp: '137131202', oauth_nonce: 'chapoH',
      }),
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03' +
        '%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202' +
        '%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal',
    );
  });

  it('§3.4.1.1 base string: query, header and body parameters, repeated a3 kept twice', () => {
    const built = oauthBaseString('POST', 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', {
      c2: '', a3: '2 q', oauth_consumer_key: '9djdj82h48djs9d2', oauth_token: 'kkk9d7dh3k39sjv7',
      oauth_signature_method: 'HMAC-SHA1', oauth_timestamp: '137131201', oauth_nonce: '7d8f3e4a',
    });
    assert.equal(built, RFC_BASE_STRING);
    // Scheme and host lower-cased, default port dropped (§3.4.1.2).
    assert.match(oauthBaseString('GET', 'HTTP://EXAMPLE.COM:80/r%20v/X?id=123', {}), /^GET&http%3A%2F%2Fexample\.com%2Fr%2520v%2FX&id%3D123$/);
    assert.match(oauthBaseString('GET', 'https://www.example.net:8080/?q=1', {}), /^GET&https%3A%2F%2Fwww\.example\.net%3A8080%2F&/);
  });

  it('§3.1 request verifies with the signature of the printed base string, and only with it', async () => {
    const signature = createHmac('sha1', SECTION_3_1_KEY).update(RFC_BASE_STRING).digest('base64');
    const v = await verifyOAuthRequest(store, example(signature), { ...at(137131201), token: 'access' });
    assert.equal(v.token?.token, 'kkk9d7dh3k39sjv7');
    // The value printed in §3.1 is refused (it does not match the printed base string + secrets).
    await assert.rejects(verifyOAuthRequest(store, example('bYT5CMsGcbgUdFHObYMEfcx6bsw='), { ...at(137131201), token: 'access' }), /invalid OAuth signature/);
  });

  it('refuses the RFC requests once altered, replayed or late', async () => {
    const tampered = { ...photo, url: photo.url.replace('original', 'thumbnail') };
    const auth = createAuthenticator(store, at(137131202));
    await assert.rejects(auth.authenticate(tampered), /invalid OAuth signature/);
    await auth.authenticate(photo);
    await assert.rejects(auth.authenticate(photo), /nonce has been used/);
    await assert.rejects(createAuthenticator(store, at(137131202 + 301)).authenticate(photo), /more than 300 s/);
    await assert.rejects(createAuthenticator(store, at(137131202 - 301)).authenticate(photo), AuthFailure);
  });

  it('refuses a wrong consumer secret and a token of another kind', async () => {
    await store.createConsumer({ key: 'other', secret: 'x', name: 'o', callback: null });
    // The initiate request with a token where none belongs, and the photo token where a request token is expected.
    await assert.rejects(verifyOAuthRequest(store, photo, { ...at(137131202), token: 'request' }), /invalid request token/);
    const forged = { ...initiate, headers: { authorization: String(initiate.headers.authorization).replace('74KNZJ', '74KNZK') } };
    await assert.rejects(verifyOAuthRequest(store, forged, { ...at(137131200), token: 'none' }), /invalid OAuth signature/);
  });
});
