// A background head compaction that fails is counted and reported, not dropped silently: the
// SQLite store's compactor tells `chunks.onCompactionFailure` at the 1st, 2nd, 4th, 8th… failure
// of a series in a row (by default one line on stderr, the server's log), the points stay in the
// head and read as before, and the next compaction after the cause is gone succeeds and starts the
// count again. The failure is real: a trigger of a second connection refuses chunk inserts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import Database from 'better-sqlite3';
import type { Point } from '../../src/codec/Point.js';
import { logCompactionFailure, type CompactionFailure } from '../../src/server/store/chunks/logCompactionFailure.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import type { Store } from '../../src/server/store/Store.js';

const dir = mkdtempSync(join(tmpdir(), 'timetric-compaction-failure-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const head = async (store: Store, id: string): Promise<number> => (await store.storageStats!(id)).series[0]!.headPoints;
const readAll = async (store: Store, id: string): Promise<Point[]> => {
  const out: Point[] = [];
  for await (const c of store.readPoints(id, {})) out.push(...c);
  return out;
};

describe('SQLite head compaction failures', () => {
  it('reports the 1st, 2nd, 4th, 8th failure of a series in a row, keeps its points, and starts again after a success', async () => {
    const file = join(dir, 'failing.db');
    const reports: CompactionFailure[] = [];
    const store = await openSqliteStore(file, { synchronous: 'NORMAL', chunks: { compactHeadAt: 4, compactEveryMs: 0, onCompactionFailure: (f) => reports.push(f) } });
    const other = new Database(file);
    try {
      const id = 'compactFailing'.padEnd(22, 'x');
      await store.createSeries({ id, ownerId: 1, title: 't', caption: '', description: null, tags: [], public: false, extra: {} });
      other.exec("CREATE TRIGGER no_chunks BEFORE INSERT ON chunks BEGIN SELECT RAISE(ABORT, 'no chunks today'); END");
      const points: Point[] = [];
      // Every write from the 4th on leaves the head at compactHeadAt or more: a compaction each.
      for (let t = 0; t < 12; t++) {
        await store.appendValue(id, t, t * 10);
        points.push([t, t * 10]);
        await turn();
      }
      assert.deepEqual(
        reports.map((r) => [r.failuresOfSeries, r.failures]),
        [[1, 1], [2, 2], [4, 4], [8, 8]],
        '9 failures, reported at 1, 2, 4, 8',
      );
      assert.equal(typeof reports[0]!.key, 'number');
      assert.match(String((reports[0]!.error as Error).message), /no chunks today/);
      assert.equal(await head(store, id), 12, 'every point still in the head');
      assert.deepEqual(await readAll(store, id), points, 'and read as before');

      other.exec('DROP TRIGGER no_chunks');
      await store.appendValue(id, 12, 120);
      points.push([12, 120]);
      await turn();
      assert.equal(await head(store, id), 0, 'compacted once the cause is gone');
      assert.deepEqual(await readAll(store, id), points);
      assert.equal(reports.length, 4, 'a success is not a report');

      other.exec("CREATE TRIGGER no_chunks BEFORE INSERT ON chunks BEGIN SELECT RAISE(ABORT, 'no chunks today'); END");
      for (let t = 13; t < 17; t++) {
        await store.appendValue(id, t, t);
        await turn();
      }
      assert.deepEqual(reports.slice(4).map((r) => [r.failuresOfSeries, r.failures]), [[1, 10]], 'the series starts again at 1; the total goes on');
    } finally {
      other.close();
      await store.close();
    }
  });

  it('by default writes one line on stderr naming the series key, the counts and the error', () => {
    const lines: unknown[][] = [];
    const error = mock.method(console, 'error', (...args: unknown[]) => void lines.push(args));
    try {
      logCompactionFailure({ key: 12, error: new Error('database is locked'), failuresOfSeries: 2, failures: 5 });
    } finally {
      error.mock.restore();
    }
    assert.equal(lines.length, 1);
    assert.match(String(lines[0]![0]), /^timetric store: compacting the head of series key 12 failed \(2 in a row, 5 in all\): database is locked; its points stay in the head/);
  });
});
