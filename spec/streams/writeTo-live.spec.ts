// writeTo against the real server: everything written exactly once, completion means written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TimetricClient, writeTo } from '../../src/index.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let fay: TestUser;
before(async () => {
  t = await startServer();
  fay = await t.user('sink-fay');
});
after(() => t.close());

describe('writeTo against the server', () => {
  it('writes 50,000 points in batches; completes once all are acknowledged', async () => {
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: fay.key, apitoken_secret: fay.secret }, { baseUrl: t.url });
    const s = await client.createSeries({ title: 'sink', caption: 'c' });
    const pairs = Array.from({ length: 50_000 }, (_, i) => [1_600_000_000 + i, i % 7 === 0 ? null : i] as const);
    const receipts = await lastValueFrom(from(pairs).pipe(writeTo(s, { maxBatchPoints: 8_000 }), toArray()));
    assert.equal(receipts.reduce((n, r) => n + r.points, 0), 50_000);
    assert.ok(receipts.every((r) => r.points <= 8_000 && r.attempts === 1));
    assert.deepEqual(receipts.map((r) => r.firstTime), [...receipts.map((r) => r.firstTime)].sort((a, b) => a - b), 'in order');
    const read = await lastValueFrom(s.values({ pageSize: 20_000 }).pipe(toArray()));
    assert.deepEqual(read, pairs);
  });
});
