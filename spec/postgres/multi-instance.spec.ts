// Three server instances on one PostgreSQL database behave as one service: a change written
// through one reaches Server-Sent Events served by another (LISTEN/NOTIFY), an OAuth request
// replayed to another instance is refused (nonces shared), and a batch retried on another
// instance after a dropped connection does not duplicate points.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import OAuth from 'oauth-1.0a';
import pg from 'pg';
import { hashPassword } from '../../src/server/auth/passwords.js';
import { hashSecret, mintKey, mintSecret } from '../../src/server/auth/secrets.js';
import { createTimetricServer, type TimetricServer } from '../../src/server/createTimetricServer.js';
import { openPostgresStore } from '../../src/server/store/postgres/openPostgresStore.js';
import { pgMigrations } from '../../src/server/store/postgres/pgMigrations.js';
import type { Store } from '../../src/server/store/Store.js';
import { createPostgresTestDatabase } from '../helpers/createPostgresTestStore.js';

interface Instance {
  store: Store;
  server: TimetricServer;
  url: string;
}

let db: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
let instances: Instance[];
let basic: string;
let userId: number;

const A = (): Instance => instances[0]!;
const B = (): Instance => instances[1]!;
const C = (): Instance => instances[2]!;

before(async () => {
  db = await createPostgresTestDatabase();
  // All three start at once: the migrations' advisory lock lets exactly one of them create the schema.
  const stores = await Promise.all([0, 1, 2].map(() => openPostgresStore(db.connectionString)));
  instances = await Promise.all(
    stores.map(async (store) => {
      const server = createTimetricServer({ store });
      return { store, server, url: await server.listen({ port: 0, host: '127.0.0.1' }) };
    }),
  );
  const user = await A().store.createUser('alice', await hashPassword('pw'));
  userId = user.id;
  const key = mintKey();
  const secret = mintSecret();
  await A().store.createApiToken({ key, userId: user.id, name: 'test', secretHash: hashSecret(secret) });
  basic = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
});

after(async () => {
  for (const i of instances ?? []) {
    await i.server.close();
    await i.store.close();
  }
  await db?.drop();
});

async function createSeries(on: Instance, title = 'Shared'): Promise<string> {
  const r = await fetch(`${on.url}/create/`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ title, caption: 'across instances' }).toString(),
    redirect: 'manual',
  });
  assert.equal(r.status, 303, await r.text());
  return r.headers.get('location')!.split('/').at(-2)!;
}

async function readCsv(on: Instance, id: string): Promise<string[]> {
  const r = await fetch(`${on.url}/series/${id}/csv/`, { headers: { authorization: basic } });
  assert.equal(r.status, 200);
  return (await r.text()).split('\n').filter(Boolean);
}

/** Resolves once no other session of the test database is inside a statement or a transaction. */
async function quiescent(): Promise<void> {
  const c = new pg.Client({ connectionString: db.connectionString });
  await c.connect();
  try {
    for (let i = 0; i < 500; i++) {
      const r = await c.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
      );
      if (r.rows[0]!.n === '0') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail('the database never became idle');
  } finally {
    await c.end();
  }
}

describe('three instances on one database', () => {
  it('each instance applied the schema exactly once between them', async () => {
    const c = new pg.Client({ connectionString: db.connectionString });
    await c.connect();
    try {
      const r = await c.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      assert.deepEqual(
        r.rows.map((x) => x.name),
        pgMigrations.map((m) => m.name),
      );
    } finally {
      await c.end();
    }
  });

  it('a write through instance A reaches a value/events/ stream served by instance B', async () => {
    const id = await createSeries(A());
    const abort = new AbortController();
    const r = await fetch(`${B().url}/series/${id}/value/events/`, { headers: { authorization: basic }, signal: abort.signal });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const waitFor = async (pattern: RegExp): Promise<void> => {
      const timer = setTimeout(() => abort.abort(), 10_000);
      try {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) assert.fail(`stream ended before ${String(pattern)}; got ${text}`);
          text += decoder.decode(value, { stream: true });
        }
      } finally {
        clearTimeout(timer);
      }
    };
    await waitFor(/data: \{"timestamp":null,"value":null\}/);
    const w = await fetch(`${A().url}/series/${id}/`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'value=42',
    });
    assert.equal(w.status, 204);
    await waitFor(/"value":42\}/);
    // And a CSV batch through instance C reaches the same stream.
    const csv = await fetch(`${C().url}/series/${id}/`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'text/csv' },
      body: '4000000000,7.5\n',
    });
    assert.equal(csv.status, 204);
    await waitFor(/\{"timestamp":4000000000,"value":7\.5\}/);
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });

  it('an OAuth-signed request replayed to another instance is refused', async () => {
    const id = await createSeries(A());
    await A().store.createConsumer({ key: 'ck', secret: 'consumer-secret', name: 'app', callback: null });
    await A().store.saveOAuthToken({
      token: 'at',
      secret: 'token-secret',
      consumerKey: 'ck',
      kind: 'access',
      userId,
      callback: null,
      verifier: null,
      expiresAt: null,
    });
    const oauth = new OAuth({
      consumer: { key: 'ck', secret: 'consumer-secret' },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    const sign = (base: string) =>
      oauth.toHeader(oauth.authorize({ url: `${base}/series/${id}/value/json/`, method: 'GET' }, { key: 'at', secret: 'token-secret' }))
        .Authorization;
    // Every instance listens on its own port, so the signature is computed for that URL; the
    // same nonce and timestamp are reused, as an attacker replaying a captured request would.
    const first = sign(A().url);
    const nonce = /oauth_nonce="([^"]+)"/.exec(first)![1]!;
    const ok = await fetch(`${A().url}/series/${id}/value/json/`, { headers: { authorization: first } });
    assert.equal(ok.status, 200, await ok.text());
    const sameOnA = await fetch(`${A().url}/series/${id}/value/json/`, { headers: { authorization: first } });
    assert.equal(sameOnA.status, 401);
    for (const other of [B(), C()]) {
      const replay = oauth.authorize(
        { url: `${other.url}/series/${id}/value/json/`, method: 'GET' },
        { key: 'at', secret: 'token-secret' },
      );
      replay.oauth_nonce = nonce;
      replay.oauth_timestamp = Number(/oauth_timestamp="(\d+)"/.exec(first)![1]);
      replay.oauth_signature = oauth.getSignature(
        { url: `${other.url}/series/${id}/value/json/`, method: 'GET', data: {} },
        'token-secret',
        replay,
      );
      const r = await fetch(`${other.url}/series/${id}/value/json/`, { headers: { authorization: oauth.toHeader(replay).Authorization } });
      assert.equal(r.status, 401, `replay to ${other.url} was accepted`);
    }
    // A fresh nonce works on another instance: the refusals above were about the replay.
    const fresh = await fetch(`${B().url}/series/${id}/value/json/`, { headers: { authorization: sign(B().url) } });
    assert.equal(fresh.status, 200);
  });

  it('a batch retried on another instance after a dropped connection is applied once', async () => {
    const id = await createSeries(A());
    const n = 20_000;
    let body = '';
    for (let i = 0; i < n; i++) body += `${1_600_000_000 + i},${i % 5 === 0 ? 'null' : i * 0.5}\n`;
    const send = (on: Instance, text: string, contentLength: number, whenSent: (req: ReturnType<typeof request>) => void) =>
      new Promise<void>((resolve) => {
        const url = new URL(`${on.url}/series/${id}/`);
        const req = request(url, {
          method: 'POST',
          headers: { authorization: basic, 'content-type': 'text/csv', 'content-length': contentLength },
        });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.on('response', (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.write(text, () => whenSent(req));
      });

    // 1. The connection drops half-way through the body: nothing may be applied.
    await send(A(), body.slice(0, body.length / 2), Buffer.byteLength(body), (req) => req.destroy());
    // 2. The whole body is sent, and the connection drops before the client sees an answer:
    //    the client cannot know whether instance A committed.
    await send(A(), body, Buffer.byteLength(body), (req) => {
      req.end();
      req.destroy();
    });
    // 3. The client retries the same batch on instance B.
    const retry = await fetch(`${B().url}/series/${id}/`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'text/csv' },
      body,
    });
    assert.equal(retry.status, 204);
    await quiescent();
    const lines = await readCsv(C(), id);
    assert.equal(lines.length, n);
    assert.equal(new Set(lines.map((l) => l.split(',')[0])).size, n);
    assert.equal(lines[0], '1600000000,null');
    assert.equal(lines[3], '1600000003,1.5');
    assert.equal(lines.at(-1), `${1_600_000_000 + n - 1},${(n - 1) * 0.5}`);
  });

  it('concurrent increments through the three instances lose no update', async () => {
    const id = await createSeries(A());
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${instances[i % 3]!.url}/series/${id}/`, {
          method: 'POST',
          headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'increment=1',
        }).then((r) => assert.equal(r.status, 204)),
      ),
    );
    const r = await fetch(`${C().url}/series/${id}/value/json/`, { headers: { authorization: basic } });
    assert.equal(((await r.json()) as { value: number }).value, 30);
  });
});
