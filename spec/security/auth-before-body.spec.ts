// Issue #11, finding 2: uploads without valid credentials are refused before their body is read.
// A 100 MB multipart upload (and the bogus-OAuth-header and wrong-Basic variants) gets 401 with
// nothing written: no row in any table, the SQLite file and its WAL the same size, and the server
// stopped reading long before the client finished sending (the 401 comes while it is still
// uploading, so EPIPE/ECONNRESET on the client's side are expected). The body is generated as it is
// sent, never held whole. A multipart body whose OAuth signature covers its text fields (the
// historical quirk) has those fields read, bounded, and is refused before its csv part.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import OAuth from 'oauth-1.0a';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import type { Store } from '../../src/server/store/Store.js';
import { createSeries, readCsv } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'timetric-auth-body-'));
const file = join(dir, 'auth-body.db');
let store: Store;
let t: TestServer;
let alice: TestUser;
let seriesId: string;
before(async () => {
  store = await openSqliteStore(file);
  t = await startServer({ store });
  alice = await t.user('auth-body-alice');
  seriesId = await createSeries(t.url, alice.basic);
});
after(async () => {
  await t.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const sizes = (): { db: number; wal: number } => ({
  db: statSync(file).size,
  wal: existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0,
});

/** Rows of every table, read through a second connection. */
function rowCounts(): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

const BOUNDARY = 'auth-before-body-7d1f';
/** 64 KiB of CSV lines, sent again and again. */
const CHUNK = Buffer.from('1300000000,1.5\n'.repeat(Math.floor((64 * 1024) / 15)));

interface Upload {
  head: Buffer;
  chunks: number;
  tail: Buffer;
}
function multipart(fields: Record<string, string>, csvBytes: number, fieldsAfterCsv = false): Upload {
  let text = '';
  for (const [name, value] of Object.entries(fields)) text += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const csv = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="csv"; filename="data.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  return {
    head: Buffer.from(fieldsAfterCsv ? csv : text + csv),
    chunks: Math.ceil(csvBytes / CHUNK.length),
    tail: Buffer.from(`\r\n${fieldsAfterCsv ? text : ''}--${BOUNDARY}--\r\n`),
  };
}
const rawCsv = (csvBytes: number): Upload => ({ head: Buffer.alloc(0), chunks: Math.ceil(csvBytes / CHUNK.length), tail: Buffer.alloc(0) });
const total = (u: Upload): number => u.head.length + u.chunks * CHUNK.length + u.tail.length;

interface Outcome {
  status: number;
  text: string;
  wwwAuthenticate: string | undefined;
  /** Bytes the client handed to its socket before the server closed it (or all of them). */
  sent: number;
  ms: number;
}

/** Streams `upload` with backpressure; resolves once the answer is read (a reset after it is expected). */
function send(method: string, path: string, headers: Record<string, string>, upload: Upload): Promise<Outcome> {
  const length = total(upload);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${t.url}${path}`, { method, headers: { ...headers, 'content-length': String(length) } });
    let sent = 0;
    let answered: Omit<Outcome, 'sent'> | undefined;
    let stopped = false;
    const pieces = (function* () {
      yield upload.head;
      for (let i = 0; i < upload.chunks; i++) yield CHUNK;
      yield upload.tail;
    })();
    const pump = (): void => {
      for (;;) {
        if (stopped) return;
        const next = pieces.next();
        if (next.done) return void req.end();
        sent += next.value.length;
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
    };
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        answered = { status: res.statusCode ?? 0, text, wwwAuthenticate: res.headers['www-authenticate'], ms: performance.now() - started };
        stopped = true;
        resolve({ ...answered, sent });
        req.destroy();
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      stopped = true;
      // The server answered and closed while the client was still sending: expected.
      if (answered) return;
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') return reject(err);
      // The reset can overtake the answer's end; give the response a moment to arrive.
      setImmediate(() => (answered ? undefined : reject(new Error(`${err.code} before any answer (sent ${sent} of ${length} bytes)`))));
    });
    pump();
  });
}

const bogusOAuth = { authorization: 'OAuth oauth_consumer_key="x"' };
const wrongBasic = () => ({ authorization: `Basic ${Buffer.from(`${alice.key}:wrong`).toString('base64')}` });
const multipartType = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

describe('uploads without valid credentials', () => {
  const cases: [string, () => [string, string, Record<string, string>, Upload]][] = [
    ['100 MB multipart /create/, no credentials', () => ['POST', '/create/', multipartType, multipart({ title: 'T', caption: 'C' }, 100 * MB)]],
    ['100 MB multipart /create/, bogus OAuth header', () => ['POST', '/create/', { ...multipartType, ...bogusOAuth }, multipart({ title: 'T', caption: 'C' }, 100 * MB)]],
    ['100 MB multipart POST /series/ID/, bogus OAuth header', () => ['POST', `/series/${seriesId}/`, { ...multipartType, ...bogusOAuth }, multipart({}, 100 * MB)]],
    ['100 MB multipart PUT /series/ID/, wrong Basic secret', () => ['PUT', `/series/${seriesId}/`, { ...multipartType, ...wrongBasic() }, multipart({}, 100 * MB)]],
    ['100 MB raw CSV PUT /series/ID/, bogus OAuth header', () => ['PUT', `/series/${seriesId}/`, { 'content-type': 'text/csv', ...bogusOAuth }, rawCsv(100 * MB)]],
  ];
  for (const [what, make] of cases) {
    it(`${what}: 401 within 1 s, before the body is read, nothing written`, { timeout: 60_000 }, async (test) => {
      const [method, path, headers, upload] = make();
      const rows = rowCounts();
      const before = sizes();
      const r = await send(method, path, headers, upload);
      assert.equal(r.status, 401, r.text);
      assert.match(r.wwwAuthenticate ?? '', /^Basic realm=/);
      // What the client got out is what the kernel buffers on both sides took before the close.
      assert.ok(r.sent < total(upload) / 10, `the server stopped reading: the client got ${r.sent} of ${total(upload)} bytes out`);
      assert.ok(r.ms < 1000, `answered after ${r.ms.toFixed(0)} ms`);
      assert.deepEqual(rowCounts(), rows, 'no row written anywhere');
      assert.deepEqual(sizes(), before, 'neither the database nor its WAL grew');
      test.diagnostic(`401 after ${r.ms.toFixed(0)} ms; the client got ${(r.sent / MB).toFixed(1)} of ${(total(upload) / MB).toFixed(0)} MB out`);
    });
  }

  it('a multipart body signed (wrongly) over its text fields: the fields are read, the csv part is not', { timeout: 60_000 }, async () => {
    const rows = rowCounts();
    const before = sizes();
    const oauth = {
      authorization:
        'OAuth oauth_consumer_key="x", oauth_token="y", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_nonce="n", oauth_signature="AAAA"',
    };
    const upload = multipart({ title: 'T', caption: 'C', tags: 'a,b' }, 100 * MB);
    const r = await send('POST', '/create/', { ...multipartType, ...oauth }, upload);
    assert.equal(r.status, 401, r.text);
    assert.ok(r.sent < total(upload) / 10, `the client got ${r.sent} of ${total(upload)} bytes out`);
    assert.deepEqual(rowCounts(), rows);
    assert.deepEqual(sizes(), before);
  });

  it('the historical quirk still works: OAuth signed over the text fields sent before the csv part; fields after it do not count', { timeout: 60_000 }, async () => {
    const consumer = { key: 'auth-body-consumer', secret: 'consumer&secret' };
    const token = { key: 'auth-body-access', secret: 'token-secret' };
    await store.createConsumer({ ...consumer, name: 'printer', callback: null });
    await store.saveOAuthToken({ token: token.key, secret: token.secret, consumerKey: consumer.key, kind: 'access', userId: alice.id, callback: null, verifier: null, expiresAt: null });
    const oauth = new OAuth({ consumer, signature_method: 'HMAC-SHA1', hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64') });
    const fields = { title: 'Quirk', caption: 'kW' };
    const signed = () => ({ authorization: oauth.toHeader(oauth.authorize({ url: `${t.url}/create/`, method: 'POST', data: fields }, token)).Authorization });

    const ok = await send('POST', '/create/', { ...multipartType, ...signed() }, multipart(fields, 1000));
    assert.equal(ok.status, 303, ok.text);
    const id = /series\/([^/]+)\//.exec(ok.text)?.[1];
    assert.equal(await readCsv(t.url, id!, alice.basic), '1300000000,1.5\n');

    const rows = rowCounts();
    const before = sizes();
    const late = await send('POST', '/create/', { ...multipartType, ...signed() }, multipart(fields, 100 * MB, true));
    assert.equal(late.status, 401, late.text);
    assert.match(late.text, /only the fields sent before the csv part/);
    assert.deepEqual(rowCounts(), rows);
    assert.deepEqual(sizes(), before);
  });

  it('the same body with valid credentials is accepted (the refusals above are about credentials only)', { timeout: 60_000 }, async () => {
    const r = await send('POST', '/create/', { ...multipartType, authorization: alice.basic }, multipart({ title: 'T', caption: 'C' }, MB));
    assert.equal(r.status, 303, r.text);
    const id = /series\/([^/]+)\//.exec(r.text)?.[1];
    assert.ok(id);
    const csv = await readCsv(t.url, id, alice.basic);
    assert.equal(csv, '1300000000,1.5\n', 'the upload landed (one timestamp, repeated)');
    const put = await send('PUT', `/series/${seriesId}/`, { 'content-type': 'text/csv', authorization: alice.basic }, rawCsv(MB));
    assert.equal(put.status, 204, put.text);
  });
});
