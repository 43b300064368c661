// close(): connections that never sent a request are dropped at once (browsers and fetch pools open
// them ahead of use; they used to hold the close for the 60 s headers timeout); a request in
// progress gets closeGraceMs to finish, then its connection is cut; open event streams are ended.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { createSeries } from '../helpers/http.js';
import { startServer } from '../helpers/startServer.js';

describe('server close', () => {
  it('drops connections that never sent a byte, and ends event streams', { timeout: 10_000 }, async () => {
    const t = await startServer();
    const u = await t.user('close-una');
    const id = await createSeries(t.url, u.basic);
    const events = await fetch(`${t.url}/series/${id}/value/events/`, { headers: { authorization: u.basic } });
    assert.equal(events.status, 200);
    const port = Number(new URL(t.url).port);
    const idle = connect(port, '127.0.0.1');
    await once(idle, 'connect');
    const dropped = once(idle, 'close');
    await t.close();
    await dropped;
    assert.equal(idle.bytesWritten, 0);
    assert.match(await events.text(), /^retry: /, 'the event stream ended, so its body could be read to the end');
  });

  it('cuts a request still in progress after closeGraceMs', { timeout: 10_000 }, async () => {
    const t = await startServer({ closeGraceMs: 200 });
    const u = await t.user('close-vic');
    const id = await createSeries(t.url, u.basic);
    // An upload whose body never ends keeps its request in progress.
    const port = Number(new URL(t.url).port);
    const slow = connect(port, '127.0.0.1');
    await once(slow, 'connect');
    slow.write(`POST /series/${id}/ HTTP/1.1\r\nHost: x\r\nAuthorization: ${u.basic}\r\nContent-Type: text/csv\r\nContent-Length: 1000\r\n\r\n1,1\n`);
    slow.on('error', () => undefined); // the cut may arrive as a reset
    const cut = new Promise((resolve) => slow.once('close', resolve));
    await (await fetch(`${t.url}/`)).text(); // a round trip: the server has read the upload's head by now
    const started = performance.now();
    await t.close();
    await cut;
    assert.ok(performance.now() - started >= 150, 'the request had its grace period');
  });
});
