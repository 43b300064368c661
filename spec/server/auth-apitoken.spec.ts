import assert from 'node:assert/strict';
import { describe, it, before, after } from 'node:test';
import Database from 'better-sqlite3';
import { AuthFailure } from '../../src/server/auth/AuthFailure.js';
import { createAuthenticator } from '../../src/server/auth/createAuthenticator.js';
import { hashPassword, verifyPassword } from '../../src/server/auth/passwords.js';
import { hashSecret, mintKey, mintSecret, safeEqual } from '../../src/server/auth/secrets.js';
import { authMigrations } from '../../src/server/store/sqlite/authMigrations.js';
import { SqliteAuthStore } from '../../src/server/store/sqlite/SqliteAuthStore.js';
import { StoreConflictError } from '../../src/server/store/StoreConflictError.js';
import { createSeries, FORM } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

function memoryAuthStore(): SqliteAuthStore {
  const db = new Database(':memory:');
  for (const m of authMigrations) db.exec(m.sql);
  return new SqliteAuthStore(db);
}

const basic = (key: string, secret: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
});
const url = 'http://127.0.0.1:8080/series/abc/value/json/';

describe('passwords', () => {
  it('hashes in the scrypt$salt$hash format and verifies', async () => {
    const stored = await hashPassword('correct horse');
    assert.match(stored, /^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await verifyPassword('correct horse', stored), true);
    assert.equal(await verifyPassword('correct hors', stored), false);
    assert.notEqual(await hashPassword('correct horse'), stored, 'fresh salt every time');
  });
  it('never matches a malformed stored hash', async () => {
    assert.equal(await verifyPassword('x', 'plain$x'), false);
    assert.equal(await verifyPassword('x', ''), false);
    assert.equal(await verifyPassword('x', 'scrypt$a$b$c'), false);
  });
});

describe('secrets', () => {
  it('mints URL-safe keys and secrets of the documented length', () => {
    assert.match(mintKey(), /^[A-Za-z0-9_-]{22}$/);
    assert.match(mintSecret(), /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(mintSecret(), mintSecret());
  });
  it('never mints a key that begins with "-" (the CLI would read it as an option)', () => {
    // One base64url draw in 64 begins with '-': 5,000 keys meet it about 78 times.
    const keys = Array.from({ length: 5_000 }, () => mintKey());
    assert.equal(keys.filter((k) => k.startsWith('-')).length, 0);
    assert.ok(keys.some((k) => k.includes('-')), "'-' is still used elsewhere in a key");
  });
  it('hashes secrets with SHA-256 hex and compares safely', () => {
    assert.equal(hashSecret('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(safeEqual('abc', 'abc'), true);
    assert.equal(safeEqual('abc', 'abd'), false);
    assert.equal(safeEqual('abc', 'abcd'), false);
  });
});

describe('API tokens over Basic', () => {
  const store = memoryAuthStore();
  const auth = createAuthenticator(store);
  let userId = 0;
  const laptop = { key: mintKey(), secret: mintSecret() };
  const sensor = { key: mintKey(), secret: mintSecret() };

  before(async () => {
    userId = (await store.createUser('ada', await hashPassword('pw'))).id;
    await store.createApiToken({ key: laptop.key, userId, name: 'laptop', secretHash: hashSecret(laptop.secret) });
    await store.createApiToken({ key: sensor.key, userId, name: 'sensor-3', secretHash: hashSecret(sensor.secret) });
  });

  it('accepts a valid token and names the user', async () => {
    const who = await auth.authenticate({ method: 'GET', url, headers: basic(laptop.key, laptop.secret) });
    assert.deepEqual(who, { userId, userName: 'ada', via: 'apitoken' });
  });

  it('answers null for an anonymous request', async () => {
    assert.equal(await auth.authenticate({ method: 'GET', url, headers: {} }), null);
  });

  it('rejects a wrong secret, an unknown key and garbage', async () => {
    await assert.rejects(auth.authenticate({ method: 'GET', url, headers: basic(laptop.key, `${laptop.secret}x`) }), AuthFailure);
    await assert.rejects(auth.authenticate({ method: 'GET', url, headers: basic(mintKey(), laptop.secret) }), AuthFailure);
    await assert.rejects(auth.authenticate({ method: 'GET', url, headers: { authorization: 'Basic bm9jb2xvbg==' } }), /KEY:SECRET/);
    await assert.rejects(auth.authenticate({ method: 'GET', url, headers: { authorization: 'Bearer x' } }), /unsupported authorization scheme/);
  });

  it('revokes one token without touching the others', async () => {
    assert.equal(await store.revokeApiToken(laptop.key), true);
    assert.equal(await store.revokeApiToken(laptop.key), false, 'second revoke finds nothing to revoke');
    await assert.rejects(auth.authenticate({ method: 'GET', url, headers: basic(laptop.key, laptop.secret) }), /revoked/);
    const who = await auth.authenticate({ method: 'POST', url, headers: basic(sensor.key, sensor.secret) });
    assert.equal(who?.userName, 'ada');
    const listed = await store.listApiTokens(userId);
    assert.deepEqual(
      listed.map((t) => [t.name, t.revokedAt !== null]),
      [
        ['laptop', true],
        ['sensor-3', false],
      ],
    );
    assert.equal(listed[0]!.secretHash, hashSecret(laptop.secret), 'only the hash is stored');
  });

  it('refuses a duplicate user name with StoreConflictError', async () => {
    await assert.rejects(store.createUser('ada', 'scrypt$x$y'), StoreConflictError);
  });
});

describe('API tokens over HTTP (real server)', () => {
  let srv: TestServer;
  let ada: TestUser;
  let privateId = '';
  let publicId = '';
  const get = (id: string, authorization?: string): Promise<Response> =>
    fetch(`${srv.url}/series/${id}/value/json/`, { headers: authorization === undefined ? {} : { authorization } });

  before(async () => {
    srv = await startServer();
    ada = await srv.user('ada');
    privateId = await createSeries(srv.url, ada.basic);
    publicId = await createSeries(srv.url, ada.basic, { public: 'true' });
  });
  after(async () => {
    await srv.close();
  });

  it('reads and writes a private series with a valid token', async () => {
    const write = await fetch(`${srv.url}/series/${privateId}/`, { method: 'POST', headers: { ...FORM, authorization: ada.basic }, body: 'value=7' });
    assert.equal(write.status, 204);
    const read = await get(privateId, ada.basic);
    assert.equal(read.status, 200);
    assert.equal(((await read.json()) as { value: unknown }).value, 7);
  });

  it('answers 401 + WWW-Authenticate for a wrong secret, an unknown key, a revoked token, garbage', async () => {
    const second = { key: mintKey(), secret: mintSecret() };
    await srv.store.createApiToken({ key: second.key, userId: ada.id, name: 'second', secretHash: hashSecret(second.secret) });
    const revoked = { key: mintKey(), secret: mintSecret() };
    await srv.store.createApiToken({ key: revoked.key, userId: ada.id, name: 'old', secretHash: hashSecret(revoked.secret) });
    assert.equal((await get(privateId, basic(revoked.key, revoked.secret).authorization)).status, 200);
    await srv.store.revokeApiToken(revoked.key);
    const cases: [string, string][] = [
      ['wrong secret', basic(ada.key, `${ada.secret}x`).authorization!],
      ['unknown key', basic(mintKey(), ada.secret).authorization!],
      ['revoked', basic(revoked.key, revoked.secret).authorization!],
      ['garbage', 'Basic !!!'],
    ];
    for (const [what, authorization] of cases) {
      for (const id of [privateId, publicId]) {
        const res = await get(id, authorization);
        assert.equal(res.status, 401, `${what} on ${id === publicId ? 'public' : 'private'}`);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="/, what);
      }
    }
    assert.equal((await get(privateId, basic(second.key, second.secret).authorization)).status, 200, 'the other token still works');
  });

  it('lets anonymous requests read public series only', async () => {
    const pub = await get(publicId);
    assert.equal(pub.status, 200);
    const priv = await get(privateId);
    assert.equal(priv.status, 401);
    assert.match(priv.headers.get('www-authenticate') ?? '', /^Basic realm="/);
    const unknown = await get('AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(unknown.status, 401, 'an unknown id looks like a private one');
  });
});
