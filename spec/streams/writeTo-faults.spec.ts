// writeTo under faults, against the real server behind a TCP proxy: the server refuses writes over
// its concurrency limit with 503 + Retry-After, and the proxy drops connections (uploads cut
// mid-body, answers cut after the server committed). Three sinks of one client write three series
// at once; every point must arrive exactly once, in order, and completion must mean written.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { Point } from '../../src/codec/Point.js';
import { TimetricClient, writeTo, type WriteReceipt } from '../../src/index.js';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let proxy: FaultProxy;
let gil: TestUser;
before(async () => {
  // One write at a time: concurrent batches of the three sinks collide and get 503 + Retry-After: 1.
  t = await startServer({ maxConcurrentWrites: 1, overloadRetryAfterSeconds: 1 });
  gil = await t.user('faults-gil');
  proxy = await startFaultProxy(Number(new URL(t.url).port));
});
after(async () => {
  await proxy.close();
  await t.close();
});

describe('writeTo under 503 + Retry-After and dropped connections', () => {
  it('loses nothing and duplicates nothing', async () => {
    const answers = { 503: 0, failed: 0, retryAfter: new Set<string>() };
    let release = (): void => undefined;
    const observing = async (url: string, init?: RequestInit): Promise<Response> => {
      try {
        const r = await fetch(url, init);
        if (r.status === 503) {
          answers[503]++;
          answers.retryAfter.add(r.headers.get('retry-after') ?? '');
          release();
        }
        return r;
      } catch (err) {
        answers.failed++;
        throw err;
      }
    };
    const direct = new TimetricClient({ authtype: 'apitoken', apitoken_key: gil.key, apitoken_secret: gil.secret }, { baseUrl: t.url });
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: gil.key, apitoken_secret: gil.secret }, { baseUrl: proxy.url, fetch: observing });
    const ids = await Promise.all([1, 2, 3].map(async (k) => (await direct.createSeries({ title: `faults ${k}`, caption: 'c' })).id));
    const data = (k: number): Point[] => Array.from({ length: 60_000 }, (_, i) => [1_600_000_000 + i, i % 13 === 0 ? null : k * 100_000 + i] as const);

    // A write of another series holds the server's only write slot until the first 503 was seen.
    const other = await direct.createSeries({ title: 'held', caption: 'c' });
    const held = request(`${t.url}${other.path}`, { method: 'POST', headers: { authorization: gil.basic, 'content-type': 'text/csv' } });
    const heldDone = new Promise<number>((resolve, reject) => held.on('response', (r) => (r.resume(), resolve(r.statusCode ?? 0))).on('error', reject));
    held.write('1,1\n');
    held.flushHeaders();
    release = () => {
      release = () => undefined;
      held.end('2,2\n');
    };
    await lastValueFrom(direct.series(other.id).latest()); // a round trip after the held request's headers

    // Answers cut after the server committed (the client cannot know), uploads cut mid-body (nothing applied).
    proxy.cutNext(3, 0);
    proxy.cutUploadNext(2, 20_000);
    const options = { maxBatchPoints: 10_000, retryBaseMs: 20, maxBackoffMs: 300 };
    const runs = await Promise.all(ids.map((id, k) => lastValueFrom(from(data(k + 1)).pipe(writeTo(client.series(id), options), toArray()))));

    assert.equal(await heldDone, 204, 'the held write went through');
    const receipts: WriteReceipt[] = runs.flat();
    assert.ok(answers[503] >= 1, `the server refused some writes with 503 (saw ${answers[503]})`);
    assert.deepEqual([...answers.retryAfter], ['1']);
    assert.ok(answers.failed >= 1, `some requests failed on a dropped connection (saw ${answers.failed})`);
    assert.ok(receipts.some((r) => r.attempts > 1), 'some batches were retried');
    for (const [k, id] of ids.entries()) {
      assert.equal(runs[k]!.reduce((n, r) => n + r.points, 0), 60_000, `series ${k + 1}: every point acknowledged once`);
      assert.deepEqual(runs[k]!.map((r) => r.firstTime), [...runs[k]!.map((r) => r.firstTime)].sort((a, b) => a - b), 'batches in order');
      const read = await lastValueFrom(direct.series(id).values({ pageSize: 50_000 }).pipe(toArray()));
      assert.deepEqual(read, data(k + 1), `series ${k + 1}: read back exactly what was written`);
    }
  });
});
