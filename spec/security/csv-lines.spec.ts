// Hardening #11, finding 7 (server side): a CSV upload without newlines was quadratic (64 MB: 59 s)
// and, with commas, took the server to 1.1 GB RSS. The decoder now caps a line at 64 KiB: such an
// upload is answered 400 within 1 s, naming the line, and nothing is applied.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSV, createSeries, readCsv } from '../helpers/http.js';
import { bestOfMs } from '../helpers/bestOfMs.js';
import { sendUntilAnswered, type EarlyAnswer } from '../helpers/sendUntilAnswered.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let eve: TestUser;
before(async () => {
  t = await startServer();
  eve = await t.user('lines-eve');
});
after(() => t.close());

const MiB = 1024 * 1024;

/** `head`, then `filler` over and over up to `total` bytes, then `tail`; sending stops at the answer. */
function upload(method: string, path: string, headers: Record<string, string>, head: string, filler: Buffer, total: number, tail = ''): Promise<EarlyAnswer> {
  function* chunks(): Generator<Buffer | string> {
    yield head;
    for (let sent = head.length; sent < total; sent += filler.length) yield filler.subarray(0, Math.min(filler.length, total - sent));
    yield tail;
  }
  return sendUntilAnswered(`${t.url}${path}`, method, headers, { chunks: chunks(), length: total + tail.length });
}

const auth = () => ({ authorization: eve.basic });
const nines = Buffer.alloc(64 * 1024, '9');
const commas = Buffer.alloc(64 * 1024, '9,');

describe('a CSV upload without newlines', () => {
  for (const [name, filler] of [
    ['digits', nines],
    ['digits and commas', commas],
  ] as const) {
    it(`64 MiB of ${name}: 400 within 1 s naming line 1, nothing applied, memory flat`, async (test) => {
      const id = await createSeries(t.url, eve.basic);
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5);
      try {
        const send = () => upload('POST', `/series/${id}/`, { ...CSV, ...auth() }, '1400000000,', filler, 64 * MiB);
        const result = await send();
        assert.equal(result.status, 400, result.body);
        assert.match(result.body, /^CSV line 1: longer than 65536 bytes \(maxLineBytes\): "1400000000,9[9,]{9}/);
        assert.match(result.body, /nothing was applied/);
        assert.ok(result.body.length < 500, `an excerpt, not the line (${result.body.length} characters)`);
        assert.ok(result.sent < 16 * MiB, `answered before the body was sent (${result.sent} bytes sent)`);
        const ms = await bestOfMs(send);
        test.diagnostic(`400 in ${ms.toFixed(0)} ms (best of 5), ${result.sent} bytes sent by then`);
        assert.ok(ms < 1_000, `answered in ${ms.toFixed(0)} ms`);
      } finally {
        clearInterval(sampler);
      }
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      test.diagnostic(`RSS growth ${((rssPeak - rssBefore) / MiB).toFixed(1)} MiB`);
      assert.ok(rssPeak - rssBefore < 100 * MiB, `RSS grew ${((rssPeak - rssBefore) / MiB).toFixed(1)} MiB`);
      assert.equal(await readCsv(t.url, id, eve.basic), '');
    });
  }

  it('after good lines: names the endless line, and a PUT replaces nothing', async () => {
    const id = await createSeries(t.url, eve.basic);
    await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body: '1,1\n' });
    for (const method of ['POST', 'PUT']) {
      const r = await upload(method, `/series/${id}/`, { ...CSV, ...auth() }, '2,2\n3,3\n\n5,', nines, 8 * MiB);
      assert.equal(r.status, 400, r.body);
      assert.match(r.body, /^CSV line 4: longer than 65536 bytes .*"5,9{10}/);
    }
    assert.equal(await readCsv(t.url, id, eve.basic), '1,1\n');
  });

  it('a long line followed by more lines: the same 400, naming it', async () => {
    const id = await createSeries(t.url, eve.basic);
    const r = await upload('POST', `/series/${id}/`, { ...CSV, ...auth() }, '1,1\n2,', nines, 4 * MiB, '\n3,3\n');
    assert.equal(r.status, 400, r.body);
    assert.match(r.body, /^CSV line 2: longer than 65536 bytes/);
    assert.equal(await readCsv(t.url, id, eve.basic), '');
  });

  it('in /create/ (raw and multipart): 400, and no series is created', async () => {
    const count = async () => (await t.store.searchSeries({ viewerId: eve.id, limit: 1000, offset: 0 })).length;
    const before = await count();
    const raw = await upload('POST', '/create/?title=a&caption=b', { ...CSV, ...auth() }, '1,1\n', nines, 8 * MiB);
    assert.equal(raw.status, 400, raw.body);
    assert.match(raw.body, /^CSV line 2: longer than 65536 bytes/);
    const fd = new FormData();
    fd.append('title', 'x');
    fd.append('caption', 'y');
    fd.append('csv', new Blob(['1,1\n', Buffer.alloc(MiB, '9')]), 'a.csv');
    const multipart = await fetch(`${t.url}/create/`, { method: 'POST', headers: auth(), body: fd, redirect: 'manual' });
    assert.equal(multipart.status, 400);
    assert.match(await multipart.text(), /^CSV line 2: longer than 65536 bytes/);
    assert.equal(await count(), before);
  });

  it('as the multipart csv part of a write: 400, nothing applied', async () => {
    const id = await createSeries(t.url, eve.basic);
    const fd = new FormData();
    fd.append('csv', new Blob(['1,1\n2,', Buffer.alloc(MiB, '9,')]), 'a.csv');
    const r = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: auth(), body: fd });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /^CSV line 2: longer than 65536 bytes/);
    assert.equal(await readCsv(t.url, id, eve.basic), '');
  });

  it('a line of exactly 64 KiB is still read', async () => {
    const id = await createSeries(t.url, eve.basic);
    const line = `1,${'0'.repeat(64 * 1024 - 3)}5`; // 65,536 bytes: leading zeros, the value 5
    const r = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body: `${line}\n2,2\n` });
    assert.equal(r.status, 204, await r.text());
    assert.equal(await readCsv(t.url, id, eve.basic), '1,5\n2,2\n');
  });

  it('the cap is the server option maxCsvLineBytes', async () => {
    const small = await startServer({ maxCsvLineBytes: 100 });
    try {
      const who = await small.user('line-cap');
      const id = await createSeries(small.url, who.basic);
      const fits = `1,${'0'.repeat(97)}7`; // 100 bytes
      const post = (body: string) => fetch(`${small.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, authorization: who.basic }, body });
      assert.equal((await post(`${fits}\n`)).status, 204);
      const r = await post(`2,2\n${fits}0\n`);
      assert.equal(r.status, 400);
      assert.match(await r.text(), /^CSV line 2: longer than 100 bytes/);
      assert.equal(await readCsv(small.url, id, who.basic), '1,7\n');
    } finally {
      await small.close();
    }
  });
});
