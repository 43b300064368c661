// When the SQLite store compacts heads by itself (HeadCompactor): after the write that fills a
// series' head to compactHeadAt, on a later turn of the event loop, one series per turn; by age,
// in a sweep every compactEveryMs (virtual time here) whose timer neither keeps a process alive nor
// outlives close(). Compaction never bumps a version or tells listeners, and one turn of it is
// short: a 1,024-point head into a series of 1 M points.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import type { Point } from '../../src/codec/Point.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import type { Store } from '../../src/server/store/Store.js';

const dir = mkdtempSync(join(tmpdir(), 'timetric-compaction-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
const newSeries = async (store: Store): Promise<string> => {
  const id = `compact${String(++seq).padStart(3, '0')}`.padEnd(22, 'x');
  await store.createSeries({ id, ownerId: 1, title: 't', caption: '', description: null, tags: [], public: false, extra: {} });
  return id;
};
const head = async (store: Store, id: string): Promise<number> => (await store.storageStats!(id)).series[0]!.headPoints;
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const readAll = async (store: Store, id: string): Promise<Point[]> => {
  const out: Point[] = [];
  for await (const c of store.readPoints(id, {})) out.push(...c);
  return out;
};

describe('SQLite head compaction', () => {
  it('compacts a head that reached compactHeadAt after the write, on later turns, one series a turn, without a version bump or onChange', async () => {
    const store = await openSqliteStore(':memory:', { chunks: { compactHeadAt: 10, compactEveryMs: 0 } });
    try {
      const ids = [await newSeries(store), await newSeries(store), await newSeries(store)];
      for (const id of ids) for (let t = 0; t < 9; t++) await store.appendValue(id, t, t);
      await turn();
      assert.deepEqual(await Promise.all(ids.map((id) => head(store, id))), [9, 9, 9], 'below compactHeadAt: no compaction');
      const changes: string[] = [];
      store.onChange((id) => changes.push(id));
      const versions = [];
      // The tenth point of each series, in one turn (one group commit): three series due at once.
      for (const r of await Promise.all(ids.map((id) => store.appendValue(id, 9, 9)))) versions.push(r.version);
      assert.deepEqual(await Promise.all(ids.map((id) => head(store, id))), [10, 10, 10], 'not inside the write');
      const compacted = [];
      for (let i = 0; i < 3; i++) {
        await turn();
        compacted.push((await Promise.all(ids.map((id) => head(store, id)))).filter((n) => n === 0).length);
      }
      assert.deepEqual(compacted, [1, 2, 3], 'one series a turn');
      for (const [i, id] of ids.entries()) {
        assert.equal((await store.getSeriesHead(id))?.version, versions[i]);
        assert.deepEqual(await readAll(store, id), Array.from({ length: 10 }, (_, t) => [t, t]));
        assert.equal((await store.storageStats!(id)).series[0]!.chunks, 1);
      }
      assert.deepEqual(changes, ids, 'only the three writes were changes');
    } finally {
      await store.close();
    }
  });

  it('sweeps every compactEveryMs (virtual time): heads that waited that long, or were there before the store opened; no sweep after close', async () => {
    const file = join(dir, 'sweep.db');
    const first = await openSqliteStore(file, { chunks: { compactEveryMs: 0 } });
    const old = await newSeries(first);
    await first.appendValue(old, 1, 1);
    await first.close();
    mock.timers.enable({ apis: ['setInterval', 'Date'], now: 0 });
    try {
      const store = await openSqliteStore(file, { chunks: { compactEveryMs: 1_000 } });
      const young = await newSeries(store);
      mock.timers.tick(400);
      await store.appendValue(young, 1, 1);
      mock.timers.tick(599);
      await turn();
      assert.deepEqual([await head(store, old), await head(store, young)], [1, 1], 'no sweep before compactEveryMs');
      mock.timers.tick(1);
      await turn();
      assert.deepEqual([await head(store, old), await head(store, young)], [0, 1], 'the head from before the open is compacted, the 600 ms old one waits');
      mock.timers.tick(1_000);
      await turn();
      assert.equal(await head(store, young), 0, 'compacted at the next sweep');
      const later = await newSeries(store);
      await store.appendValue(later, 1, 1);
      await store.close();
      // A sweep after close would touch a closed database and throw here.
      mock.timers.tick(5_000);
      await turn();
    } finally {
      mock.timers.reset();
    }
  });

  it('the sweep timer does not keep a process alive', () => {
    const script = `
      const { openSqliteStore } = await import(${JSON.stringify(join(import.meta.dirname, '../../src/server/store/sqlite/openSqliteStore.ts'))});
      const store = await openSqliteStore(${JSON.stringify(join(dir, 'alive.db'))}, { chunks: { compactEveryMs: 60000 } });
      await store.createSeries({ id: 'alivealivealivealive00', ownerId: 1, title: '', caption: '', description: null, tags: [], public: false, extra: {} });
      await store.appendValue('alivealivealivealive00', 1, 1);
      console.log('written');`;
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'written');
    assert.ok(performance.now() - started < 20_000, 'exited without waiting for the 60 s sweep');
  });

  it('one turn of compaction is short: 1,024 head points into a series of 1 M points (median of 3 after a warm-up) < 20 ms', async () => {
    // Cut by count (no aligned times), so the late points at 4095.5, … fall between chunks.
    const store = await openSqliteStore(join(dir, 'cost.db'), { synchronous: 'NORMAL', chunks: { chunkAlign: [], compactHeadAt: 1e9, compactEveryMs: 0 } });
    try {
      const id = await newSeries(store);
      const w = await store.openWriter(id, 'merge');
      const n = 1_000_000;
      await w.stage(Array.from({ length: n }, (_, t): Point => [t, Math.round(Math.sin(t) * 1e4) / 100]));
      await w.commit();
      const times: number[] = [];
      let next = n;
      for (let run = 0; run < 4; run++) {
        for (let i = 0; i < 1_024; i++) await store.appendValue(id, next++, i);
        // One late point in a gap between chunks far back, as well.
        await store.appendValue(id, 4_095.5 + run * 4_096 * 10, -1);
        assert.equal(await head(store, id), 1_025);
        const t0 = performance.now();
        await store.compact!(id);
        if (run > 0) times.push(performance.now() - t0);
        assert.equal(await head(store, id), 0);
      }
      const median = [...times].sort((a, b) => a - b)[1]!;
      console.log(`compaction of a 1,025-point head into 1 M points: ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
      assert.ok(median < 20, `${median.toFixed(1)} ms`);
      assert.equal((await store.storageStats!(id)).series[0]!.points, n + 4 * 1_025);
    } finally {
      await store.close();
    }
  });
});
