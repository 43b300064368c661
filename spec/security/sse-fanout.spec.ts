// Hardening #11, finding 5: every event-stream subscriber re-read and parsed the whole series
// (metadata included) inside the writer's commit: 200 subscribers of a series with ~1 MB of
// extra fields made one `value=` write take 4.8 s with the event loop blocked, and 1,000
// subscribers made a write take 21 ms instead of 2.3 ms. Now one read per change is shared by
// every subscriber of the series, after the write has answered, and it loads no metadata;
// reads and writes check access on the series head only.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/server/store/Store.js';
import { FORM, createSeries } from '../helpers/http.js';
import { largestMetadata } from '../helpers/largestMetadata.js';
import { openEventStream } from '../helpers/openEventStream.js';
import { openSubscriberFleet } from '../helpers/subscriberFleet.js';
import { createTestStore, startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

const SUBSCRIBERS = 1_000;

/** The store, counting the reads that matter here. */
function counted(store: Store) {
  const calls = { latestWithVersion: 0, getSeries: 0 };
  const spied: Store = {
    ...store,
    latestWithVersion: (id) => (calls.latestWithVersion++, store.latestWithVersion(id)),
    getSeries: (id) => (calls.getSeries++, store.getSeries(id)),
  };
  return { spied, calls };
}

describe('event-stream fan-out', () => {
  let t: TestServer;
  let alice: TestUser;
  let made: Awaited<ReturnType<typeof createTestStore>>;
  let calls: ReturnType<typeof counted>['calls'];

  before(async () => {
    made = await createTestStore();
    const c = counted(made.store);
    calls = c.calls;
    t = await startServer({ store: c.spied, heartbeatMs: 60_000 });
    alice = await t.user();
  });
  after(async () => {
    await t.close();
    await made.cleanup();
  });

  const agent = new Agent({ keepAlive: true });
  after(() => agent.destroy());

  /** A `value=` write on a kept-alive node:http connection; resolves with the ms until its answer arrived. */
  const write = (id: string, value: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request(`${t.url}/series/${id}/`, { method: 'POST', agent, headers: { ...FORM, authorization: alice.basic } }, (res) => {
        const ms = performance.now() - started;
        res.resume();
        res.on('end', () => (res.statusCode === 204 ? resolve(ms) : reject(new Error(`write answered ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(`value=${value}`);
    });

  it(`one write with ${SUBSCRIBERS} subscribers on a series with the largest metadata allowed: answered in < 50 ms, one read, every subscriber gets the event`, async (ctx) => {
    const id = await createSeries(t.url, alice.basic, { ...largestMetadata(), public: 'true' });
    const alone = [await write(id, -1), await write(id, -2), await write(id, -3), await write(id, -4)].slice(1);
    // Anonymous subscribers (the series is public), each on its own socket, in a process of their own.
    const fleet = await openSubscriberFleet(`${t.url}/series/${id}/value/events/`, SUBSCRIBERS);
    try {
      await fleet.seen(-4);
      const before = { ...calls };
      const rounds: { ms: number; reads: number }[] = [];
      let values: unknown[][] = [];
      // Warm-up, then three measured writes.
      for (let round = 1; round <= 4; round++) {
        const reads = calls.latestWithVersion;
        const ms = await write(id, round);
        values = await fleet.seen(round);
        rounds.push({ ms, reads: calls.latestWithVersion - reads });
      }
      const best = Math.min(...rounds.slice(1).map((r) => r.ms));
      ctx.diagnostic(`write alone ${Math.min(...alone).toFixed(1)} ms; with ${SUBSCRIBERS} subscribers ${rounds.map((r) => r.ms.toFixed(1)).join(' / ')} ms (warm-up first)`);
      assert.ok(best < 50, `the write was answered in ${best.toFixed(1)} ms at best`);
      // One read per change for all subscribers, and no metadata read at all.
      assert.deepEqual(rounds.map((r) => r.reads), [1, 1, 1, 1]);
      assert.equal(calls.getSeries, before.getSeries);
      // Every subscriber got every value once, in order.
      assert.equal(values.length, SUBSCRIBERS);
      for (const v of values) assert.deepEqual(v, [-4, 1, 2, 3, 4]);
    } finally {
      fleet.close();
    }
  });

  it('value/json, CSV reads and writes never load the metadata (a series with the largest allowed costs what a bare one does)', async (ctx) => {
    const large = await createSeries(t.url, alice.basic, { ...largestMetadata(), public: 'true' });
    const bare = await createSeries(t.url, alice.basic, { public: 'true' });
    const before = calls.getSeries;
    for (const id of [large, bare]) {
      await write(id, 1);
      for (const path of ['value/json/', 'csv/']) assert.equal((await fetch(`${t.url}/series/${id}/${path}`)).status, 200);
    }
    assert.equal(calls.getSeries, before);
    // The figure of the finding (28.6 ms against 1.0 ms): rounds of 20 anonymous reads, the two
    // series in turn (so a burst of load elsewhere hits both alike), best round of each after one
    // warm-up round.
    const round = async (id: string): Promise<number> => {
      const started = performance.now();
      for (let i = 0; i < 20; i++) await (await fetch(`${t.url}/series/${id}/value/json/`)).text();
      return (performance.now() - started) / 20;
    };
    let largeMs = Infinity;
    let bareMs = Infinity;
    for (let r = 0; r < 6; r++) {
      const [l, b] = r % 2 ? [await round(large), await round(bare)] : [await round(bare), await round(large)].reverse();
      if (r === 0) continue;
      largeMs = Math.min(largeMs, l!);
      bareMs = Math.min(bareMs, b!);
    }
    ctx.diagnostic(`value/json: largest metadata ${largeMs.toFixed(2)} ms, none ${bareMs.toFixed(2)} ms`);
    // Noise on a shared machine is in both figures; the finding's ratio was 28.
    assert.ok(largeMs < 2 * bareMs + 1, `value/json took ${largeMs.toFixed(2)} ms against ${bareMs.toFixed(2)} ms`);
  });

  it('a burst of writes gives each subscriber the final value, with reads coalesced, and a deletion ends the streams', async () => {
    const id = await createSeries(t.url, alice.basic, { public: 'true' });
    const streams = await Promise.all(Array.from({ length: 20 }, () => openEventStream(`${t.url}/series/${id}/value/events/`)));
    try {
      await Promise.all(streams.map((s) => s.until((x) => x.data.length >= 1, 'the current value')));
      const reads = calls.latestWithVersion;
      await Promise.all(Array.from({ length: 50 }, (_, i) => write(id, i + 1)));
      const final = (await (await fetch(`${t.url}/series/${id}/value/json/`)).json()) as { value: number };
      await Promise.all(streams.map((s) => s.until((x) => (x.data.at(-1) as { value: number }).value === final.value, 'the final value')));
      assert.ok(calls.latestWithVersion - reads <= 50, `${calls.latestWithVersion - reads} reads for 50 writes`);
      for (const s of streams) {
        const versions = s.data.length;
        assert.ok(versions >= 2 && versions <= 51);
      }
      const r = await fetch(`${t.url}/series/${id}/`, { method: 'DELETE', headers: { authorization: alice.basic } });
      assert.equal(r.status, 204);
      await Promise.all(streams.map((s) => s.ended));
      assert.ok(streams.every((s) => s.named.includes('deleted')));
    } finally {
      for (const s of streams) s.close();
    }
  });
});
