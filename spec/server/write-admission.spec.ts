// Write admission control: over maxConcurrentWrites the server answers 503 + Retry-After before
// reading the body and applies nothing; reads are still served; the slot frees when a write ends.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CSV, FORM, createSeries, readCsv } from '../helpers/http.js';
import { whenWritesInProgress } from '../helpers/whenWritesInProgress.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let hal: TestUser;
before(async () => {
  t = await startServer({ maxConcurrentWrites: 1, overloadRetryAfterSeconds: 7 });
  hal = await t.user('admission-hal');
});
after(() => t.close());

describe('write admission', () => {
  it('refuses a write over the limit with 503 + Retry-After, applies nothing, keeps serving reads', async () => {
    const a = await createSeries(t.url, hal.basic);
    const b = await createSeries(t.url, hal.basic);
    const held = request(`${t.url}/series/${a}/`, { method: 'POST', headers: { authorization: hal.basic, ...CSV } });
    const heldDone = new Promise<number>((resolve, reject) => held.on('response', (r) => (r.resume(), resolve(r.statusCode ?? 0))).on('error', reject));
    held.write('1,1\n');
    held.flushHeaders();
    await whenWritesInProgress(t.server);
    assert.equal(await readCsv(t.url, a, hal.basic), '', 'reads are served while the write is open');

    for (const body of ['5,5\n', 'increment=1']) {
      const r = await fetch(`${t.url}/series/${b}/`, { method: 'POST', headers: { authorization: hal.basic, ...(body.includes('=') ? FORM : CSV) }, body });
      assert.equal(r.status, 503);
      assert.equal(r.headers.get('retry-after'), '7');
      assert.match(await r.text(), /nothing was applied, retry after 7 s/);
    }
    const create = await fetch(`${t.url}/create/`, { method: 'POST', headers: { authorization: hal.basic, ...FORM }, body: 'title=T&caption=C', redirect: 'manual' });
    assert.equal(create.status, 503);
    assert.equal(await readCsv(t.url, b, hal.basic), '', 'nothing applied');

    held.end('2,2\n');
    assert.equal(await heldDone, 204);
    const r = await fetch(`${t.url}/series/${b}/`, { method: 'POST', headers: { authorization: hal.basic, ...CSV }, body: '5,5\n' });
    assert.equal(r.status, 204, 'the slot is free again');
    assert.equal(await readCsv(t.url, b, hal.basic), '5,5\n');
    assert.equal(await readCsv(t.url, a, hal.basic), '1,1\n2,2\n');
  });

  it('a write whose client vanished frees its slot', async () => {
    const a = await createSeries(t.url, hal.basic);
    const held = request(`${t.url}/series/${a}/`, { method: 'POST', headers: { authorization: hal.basic, ...CSV } });
    held.on('error', () => undefined);
    held.write('1,1\n');
    held.flushHeaders();
    await readCsv(t.url, a, hal.basic);
    const closed = new Promise((resolve) => held.on('close', resolve));
    held.destroy();
    await closed;
    // The server sees the close asynchronously: the next write may still meet the old slot once.
    let status = 503;
    for (let i = 0; i < 50 && status === 503; i++) {
      const r = await fetch(`${t.url}/series/${a}/`, { method: 'POST', headers: { authorization: hal.basic, ...CSV }, body: '3,3\n' });
      status = r.status;
      await r.text();
    }
    assert.equal(status, 204);
    assert.equal(await readCsv(t.url, a, hal.basic), '3,3\n', 'the cut upload applied nothing');
  });
});
