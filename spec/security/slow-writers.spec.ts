// Issue #11, finding 3: slow clients cannot exhaust write admission. Writes take their admission
// slot only once their credentials checked out, so 64 stalled and 64 dripping writers without valid
// credentials (raw CSV and multipart refused at their headers; multipart signed over its text
// fields and urlencoded bodies still being read) leave every slot to authorized writes. A body
// silent for bodyIdleTimeoutMs is answered 408, applies nothing and frees its slot; headers must be
// complete within headersTimeoutMs.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SERVER_OPTIONS } from '../../src/server/http/serverOptions.js';
import { CSV, createSeries, readCsv } from '../helpers/http.js';
import { whenWritesInProgress } from '../helpers/whenWritesInProgress.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

interface Raw {
  socket: Socket;
  /** Everything the server sent, so far. */
  received(): string;
  /** Resolves when the server's answer starts arriving, with the ms since `since()` was last set. */
  answer: Promise<{ text: string; ms: number }>;
  closed: Promise<void>;
  /** Marks now as the start of a silence. */
  since(): void;
}

/** A raw connection that sends `head`: the adversary's view of the server. */
async function raw(url: string, head: string): Promise<Raw> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined); // a reset after the answer is expected
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let text = '';
  let mark = performance.now();
  const answer = new Promise<{ text: string; ms: number }>((resolve) => {
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      resolve({ text, ms: performance.now() - mark });
    });
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(head);
  return { socket, received: () => text, answer, closed, since: () => (mark = performance.now()) };
}

const OAUTH = 'OAuth oauth_consumer_key="x", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_nonce="n", oauth_signature="AAAA"';
const head = (method: string, path: string, headers: Record<string, string>): string =>
  `${method} ${path} HTTP/1.1\r\nHost: x\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
const MULTIPART = 'multipart/form-data; boundary=b1';
const FIELD_START = '--b1\r\nContent-Disposition: form-data; name="title"\r\n\r\n';
const CSV_START = '--b1\r\nContent-Disposition: form-data; name="csv"; filename="d.csv"\r\n\r\n1,1\n';

describe('writers without valid credentials hold no admission slot', () => {
  let t: TestServer;
  let alice: TestUser;
  const held: Raw[] = [];
  const drips: NodeJS.Timeout[] = [];
  before(async () => {
    t = await startServer(); // the default limit: 64 writes at once
    alice = await t.user('slow-alice');
  });
  after(async () => {
    for (const d of drips) clearInterval(d);
    for (const r of held) r.socket.destroy();
    await t.close();
  });

  it('64 stalled and 64 dripping (1 byte/s) unauthenticated writers: authorized writes and /create/ still succeed', { timeout: 30_000 }, async (test) => {
    const id = await createSeries(t.url, alice.basic);
    const wrongBasic = `Basic ${Buffer.from(`${alice.key}:wrong`).toString('base64')}`;
    // What each adversary sends: headers, then the start of a body that never ends.
    const kinds: { head: string; body: string; keptOpen: boolean }[] = [
      { head: head('POST', `/series/${id}/`, { ...CSV, 'content-length': '1000000' }), body: '1,1\n', keptOpen: false },
      { head: head('PUT', `/series/${id}/`, { ...CSV, authorization: wrongBasic, 'content-length': '1000000' }), body: '1,1\n', keptOpen: false },
      { head: head('POST', '/create/', { 'content-type': MULTIPART, authorization: OAUTH, 'content-length': '1000000' }), body: CSV_START, keptOpen: false },
      // Still sending text fields its signature may cover: read (bounded), no slot.
      { head: head('POST', `/series/${id}/`, { 'content-type': MULTIPART, authorization: OAUTH, 'content-length': '1000000' }), body: FIELD_START, keptOpen: true },
      // An urlencoded body may carry its OAuth parameters: read (at most maxFormBytes), no slot.
      { head: head('POST', `/series/${id}/`, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1000000' }), body: 'value=', keptOpen: true },
      { head: head('POST', '/create/', { 'content-type': 'application/x-www-form-urlencoded', authorization: OAUTH, 'content-length': '1000000' }), body: 'title=', keptOpen: true },
    ];
    for (let i = 0; i < 128; i++) {
      const kind = kinds[i % kinds.length]!;
      const r = await raw(t.url, kind.head + kind.body);
      held.push(r);
      if (i % 2 === 1) drips.push(setInterval(() => r.socket.writable && r.socket.write('1'), 1000));
    }
    // Every adversary's headers have been read once a round trip after them is answered.
    assert.equal(await readCsv(t.url, id, alice.basic), '');

    const started = performance.now();
    const post = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, authorization: alice.basic }, body: '5,5\n' });
    assert.equal(post.status, 204, await post.text());
    const create = await fetch(`${t.url}/create/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: alice.basic },
      body: 'title=T&caption=C',
      redirect: 'manual',
    });
    assert.equal(create.status, 303, await create.text());
    const fd = new FormData();
    fd.append('csv', new Blob(['6,6\n']), 'd.csv');
    const multipart = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { authorization: alice.basic }, body: fd });
    assert.equal(multipart.status, 204, await multipart.text());
    const ms = performance.now() - started;
    assert.ok(ms < 1000, `three writes took ${ms.toFixed(0)} ms`);
    test.diagnostic(`three authorized writes beside 128 slow ones: ${ms.toFixed(0)} ms`);
    assert.equal(await readCsv(t.url, id, alice.basic), '5,5\n6,6\n');

    // The refused ones were answered 401 and closed; the others are still being read, slot-less.
    for (const [i, r] of held.entries()) {
      const kind = kinds[i % kinds.length]!;
      if (kind.keptOpen) {
        assert.equal(r.received(), '', `adversary ${i} is still held open`);
      } else {
        assert.match((await r.answer).text, /^HTTP\/1\.1 401 /, `adversary ${i}`);
        await r.closed;
      }
    }
  });
});

describe('a body silent for bodyIdleTimeoutMs', () => {
  const IDLE = 300;
  let t: TestServer;
  let alice: TestUser;
  before(async () => {
    t = await startServer({ maxConcurrentWrites: 1, bodyIdleTimeoutMs: IDLE });
    alice = await t.user('idle-alice');
  });
  after(() => t.close());

  /** A write that only takes a slot: DELETE of an unknown series (404 when admitted, 503 when not). */
  const probe = async (): Promise<number> => {
    const r = await fetch(`${t.url}/series/AAAAAAAAAAAAAAAAAAAAAA/`, { method: 'DELETE', headers: { authorization: alice.basic } });
    await r.text();
    return r.status;
  };
  /** Waits until the held write has its slot, then checks that a probe is refused. */
  const slotTaken = async (): Promise<boolean> => {
    await whenWritesInProgress(t.server);
    return (await probe()) === 503;
  };

  const cases: { what: string; head: (id: string) => string; body: string; holdsSlot: boolean }[] = [
    { what: 'raw CSV', head: (id) => head('POST', `/series/${id}/`, { ...CSV, authorization: alice.basic, 'content-length': '1000' }), body: '1,1\n', holdsSlot: true },
    {
      what: 'multipart csv part',
      head: (id) => head('POST', `/series/${id}/`, { 'content-type': MULTIPART, authorization: alice.basic, 'content-length': '1000' }),
      body: CSV_START,
      holdsSlot: true,
    },
    {
      what: 'urlencoded form (its slot waits for the body)',
      head: (id) => head('POST', `/series/${id}/`, { 'content-type': 'application/x-www-form-urlencoded', authorization: alice.basic, 'content-length': '1000' }),
      body: 'value=1',
      holdsSlot: false,
    },
    {
      what: 'multipart text fields signed by OAuth (checked once they are read)',
      head: (id) => head('POST', `/series/${id}/`, { 'content-type': MULTIPART, authorization: OAUTH, 'content-length': '1000' }),
      body: FIELD_START,
      holdsSlot: false,
    },
  ];
  for (const c of cases) {
    it(`${c.what}: 408 + close after ${IDLE} ms of silence, nothing applied, the slot free again`, { timeout: 20_000 }, async (test) => {
      const id = await createSeries(t.url, alice.basic);
      const r = await raw(t.url, c.head(id) + c.body);
      r.since();
      if (c.holdsSlot) assert.ok(await slotTaken(), 'the silent write holds the only slot');
      else assert.equal(await probe(), 404, 'the silent request holds no slot');
      const { text, ms } = await r.answer;
      assert.match(text, /^HTTP\/1\.1 408 /);
      assert.match(text, /sent nothing for 300 ms; nothing was applied/);
      assert.match(text, /connection: close/i);
      assert.ok(ms >= IDLE - 5 && ms < IDLE + 1000, `408 after ${ms.toFixed(0)} ms of silence`);
      test.diagnostic(`408 after ${ms.toFixed(0)} ms of silence`);
      await r.closed;
      assert.equal(await probe(), 404, 'the slot is free again');
      assert.equal(await readCsv(t.url, id, alice.basic), '', 'nothing applied');
    });
  }

  it('bodies that keep arriving are not cut, however long they take', { timeout: 20_000 }, async () => {
    const id = await createSeries(t.url, alice.basic);
    const lines = Array.from({ length: 8 }, (_, i) => `${i},${i}\n`);
    const r = await raw(t.url, head('POST', `/series/${id}/`, { ...CSV, authorization: alice.basic, 'content-length': String(lines.join('').length) }));
    // Each gap is under the idle time; all of them together are well over it.
    for (const line of lines) {
      await new Promise((resolve) => setTimeout(resolve, IDLE / 2));
      r.socket.write(line);
    }
    assert.match((await r.answer).text, /^HTTP\/1\.1 204 /);
    r.socket.destroy();
    assert.equal(await readCsv(t.url, id, alice.basic), lines.join(''));
  });
});

describe('headers', () => {
  const HEADERS = 500;
  let t: TestServer;
  before(async () => {
    t = await startServer({ headersTimeoutMs: HEADERS });
  });
  after(() => t.close());

  it('must arrive within headersTimeoutMs (default 10 s): an incomplete head gets 408 and is closed', { timeout: 10_000 }, async (test) => {
    assert.equal(DEFAULT_SERVER_OPTIONS.headersTimeoutMs, 10_000);
    const r = await raw(t.url, 'POST /create/ HTTP/1.1\r\nHost: x\r\n');
    r.since();
    const { text, ms } = await r.answer;
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.ok(ms >= HEADERS - 5 && ms < HEADERS + 1000, `408 after ${ms.toFixed(0)} ms`);
    test.diagnostic(`408 after ${ms.toFixed(0)} ms`);
    await r.closed;
  });

  it('a connection that never sends a byte is closed after the same time, without an answer', { timeout: 10_000 }, async (test) => {
    const r = await raw(t.url, '');
    const started = performance.now();
    await r.closed;
    const ms = performance.now() - started;
    assert.equal(r.received(), '');
    assert.ok(ms >= HEADERS - 5 && ms < HEADERS + 1000, `closed after ${ms.toFixed(0)} ms`);
    test.diagnostic(`closed after ${ms.toFixed(0)} ms`);
  });
});
