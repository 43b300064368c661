// idleWatchdog in virtual time, and the push connection it guards: a value/events/ stream that
// goes quiet (no event, no heartbeat) for pushIdleMs fails with TimeoutError instead of hanging.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asyncScheduler, firstValueFrom, lastValueFrom, ReplaySubject, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { idleWatchdog } from '../../src/client/idleWatchdog.js';
import { latestEvents } from '../../src/client/latestEvents.js';
import { TimeoutError, TimetricClient } from '../../src/index.js';
import { startServer, type TestServer } from '../helpers/startServer.js';

const scheduler = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));

// Inside TestScheduler.run, asyncScheduler runs in virtual time.
describe('idleWatchdog', () => {
  it('fires once after ms without a touch; each touch restarts the wait; stop() cancels it', () => {
    const fired: number[] = [];
    let stopped = 0;
    scheduler().run(({ cold }) => {
      const w = idleWatchdog(10, asyncScheduler, () => fired.push(asyncScheduler.now()));
      // Touches at 4 and 12: the quiet time runs from 12, so it fires at 22, and only once.
      cold('----a-------a').subscribe(() => w.touch());
      const s = idleWatchdog(10, asyncScheduler, () => stopped++);
      cold('-----a').subscribe(() => s.stop());
    });
    assert.deepEqual(fired, [22]);
    assert.equal(stopped, 0);
  });

  it('reports whether it fired', () => {
    scheduler().run(({ flush }) => {
      const w = idleWatchdog(5, asyncScheduler, () => undefined);
      assert.equal(w.fired, false);
      flush();
      assert.equal(w.fired, true);
    });
  });
});

let t: TestServer;
before(async () => {
  t = await startServer();
});
after(() => t.close());

describe('a quiet push connection', () => {
  it('fails with TimeoutError after pushIdleMs without a byte (virtual time; the server heartbeats every 15 s)', async () => {
    const u = await t.user('idle-ann');
    const virtual = new VirtualTimeScheduler();
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: u.key, apitoken_secret: u.secret }, { baseUrl: t.url, scheduler: virtual, timeoutMs: 0 });
    const s = await client.createSeries({ title: 'idle', caption: 'c' }, [[1, 1]]);
    const events = new ReplaySubject<unknown>();
    latestEvents(client, s.path, 1_000, client.maxPushEventChars).subscribe(events);
    assert.deepEqual(await firstValueFrom(events), [1, 1]);
    virtual.flush(); // 1,000 virtual ms pass with nothing received
    await assert.rejects(lastValueFrom(events), (err: unknown) => err instanceof TimeoutError && err.timeoutMs === 1_000);
  });
});
