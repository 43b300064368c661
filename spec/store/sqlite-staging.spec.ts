// Staged uploads on SQLite live in a TEMP table of the store's connection, one per spilling
// writer. Before, they were rows of a `staging` table in the file that every store open cleared
// (`DELETE FROM staging`): an admin command opening a live server's file deleted the staged rows
// of an upload in progress, which then committed incomplete without an error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Point } from '../../src/codec/Point.js';
import { authMigrations } from '../../src/server/store/sqlite/authMigrations.js';
import { migrateSqlite } from '../../src/server/store/sqlite/migrateSqlite.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import { seriesMigrations } from '../../src/server/store/sqlite/seriesMigrations.js';
import { SqliteSeriesStore } from '../../src/server/store/sqlite/SqliteSeriesStore.js';
import type { NewSeries } from '../../src/server/store/Store.js';

const dir = mkdtempSync(join(tmpdir(), 'timetric-staging-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const series = (id: string): NewSeries => ({ id: id.padEnd(22, '0'), ownerId: 1, title: 't', caption: '', description: null, tags: [], public: false, extra: {} });
const run = (from: number, to: number): Point[] => Array.from({ length: to - from }, (_, i): Point => [from + i, (from + i) % 11]);

async function count(store: { readPoints: SqliteSeriesStore['readPoints'] }, id: string): Promise<number> {
  let n = 0;
  for await (const c of store.readPoints(id, {})) n += c.length;
  return n;
}

describe('SQLite staging', () => {
  it('a second store opened on the file while an upload is staged (spilled) leaves it whole: the upload commits complete', async () => {
    const file = join(dir, 'two.db');
    const server = await openSqliteStore(file, { memoryLimit: 1_000 });
    const { id } = await server.createSeries(series('twoOpens'));
    const w = await server.openWriter(id, 'merge');
    await w.stage(run(0, 30_000)); // spilled: 30 times the memory limit
    // What `timetric stats --db FILE` or any admin command does beside a running server.
    const admin = await openSqliteStore(file);
    assert.equal(await count(admin, id), 0, 'nothing visible before the commit');
    await admin.close();
    await w.stage(run(30_000, 40_000));
    const committed = await w.commit();
    assert.equal(committed.points, 40_000);
    const reader = await openSqliteStore(file);
    try {
      let x = 0;
      for await (const chunk of reader.readPoints(id, {})) for (const [t, v] of chunk) assert.deepEqual([t, v], [x, x++ % 11]);
      assert.equal(x, 40_000);
    } finally {
      await reader.close();
      await server.close();
    }
  });

  it('each spilling writer has its own temporary table, dropped on commit, abort and a failed commit', async () => {
    const file = join(dir, 'temp.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    migrateSqlite(db, [...seriesMigrations, ...authMigrations]);
    const store = new SqliteSeriesStore(db, { memoryLimit: 100, batchPoints: 64 });
    const temps = (): string[] => db.prepare<[], string>("SELECT name FROM temp.sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    try {
      const { id } = await store.createSeries(series('tempTables'));
      const a = await store.openWriter(id, 'merge');
      const b = await store.openWriter(id, 'replace');
      const c = await store.openWriter(id, 'merge');
      const small = await store.openWriter(id, 'merge');
      await a.stage(run(0, 1_000));
      await b.stage(run(500, 2_000));
      await c.stage(run(0, 300));
      await small.stage(run(0, 50));
      assert.equal(temps().length, 3, 'three writers spilled, the fourth is in memory');
      // Nothing staged is in the file: another connection sees no staging table at all.
      const other = new Database(file, { readonly: true });
      assert.equal(other.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE '%stag%'").pluck().get(), 0);
      other.close();
      await a.commit();
      assert.equal(temps().length, 2);
      await c.abort();
      assert.equal(temps().length, 1);
      await store.deleteSeries(id);
      await assert.rejects(b.commit(), /no longer exists/);
      assert.deepEqual(temps(), []);
      await assert.rejects(small.commit(), /no longer exists/);
      assert.deepEqual(temps(), []);
      // A time that is not a finite number is refused at once, naming the point; nothing is applied.
      const { id: id2 } = await store.createSeries(series('badTime'));
      const bad = await store.openWriter(id2, 'merge');
      await bad.stage(run(0, 500));
      await assert.rejects(bad.stage([[1, 1], [Number.NaN, 2]]), /point 502 of the write: its time NaN is not a finite number/);
      await bad.abort();
      assert.deepEqual(temps(), []);
      assert.equal(await count(store, id2), 0);
    } finally {
      store.close();
      db.close();
    }
  });
});
