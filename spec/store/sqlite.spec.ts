import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { authMigrations } from '../../src/server/store/sqlite/authMigrations.js';
import { migrateSqlite } from '../../src/server/store/sqlite/migrateSqlite.js';
import type { ChunkStoreOptions } from '../../src/server/store/chunks/chunkStoreOptions.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import { seriesMigrations } from '../../src/server/store/sqlite/seriesMigrations.js';
import { describeStoreConformance } from './storeConformance.js';
import { checkSqliteInvariant } from './sqliteInvariant.js';
import { runStoreModel } from './storeModel.js';

describeStoreConformance('sqlite', async () => {
  const store = await openSqliteStore(':memory:');
  return { store, cleanup: () => store.close() };
});

describe('SQLite store: schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timetric-sqlite-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('series-002 moves the metadata of existing series to series_meta, keeping every field and version', async () => {
    const file = join(dir, 'old.db');
    const db = new Database(file);
    migrateSqlite(db, [seriesMigrations[0]!, ...authMigrations]);
    db.prepare(
      `INSERT INTO series (id, owner_id, title, caption, description, tags, public, extra, created_at, version)
       VALUES ('oldSeries0000000000000', 7, 'Old', 'from 001', 'kept', '["a","b"]', 1, '{"unit":"°C"}', 1234.5, 3)`,
    ).run();
    db.prepare("INSERT INTO points (series_id, ts, v) VALUES ('oldSeries0000000000000', 1, 2)").run();
    db.close();
    const store = await openSqliteStore(file);
    try {
      assert.deepEqual(await store.getSeries('oldSeries0000000000000'), {
        id: 'oldSeries0000000000000',
        ownerId: 7,
        title: 'Old',
        caption: 'from 001',
        description: 'kept',
        tags: ['a', 'b'],
        public: true,
        extra: { unit: '°C' },
        createdAt: 1234.5,
        version: 3,
      });
      assert.deepEqual(await store.latestWithVersion('oldSeries0000000000000'), { version: 3, latest: [1, 2] });
      assert.equal((await store.appendValue('oldSeries0000000000000', 2, 3)).version, 4);
      assert.equal((await store.searchSeries({ q: 'FROM 001', viewerId: null, limit: 10, offset: 0 }))[0]?.id, 'oldSeries0000000000000');
    } finally {
      await store.close();
    }
    // The hot table holds no metadata any more: a version bump rewrites a few bytes.
    const check = new Database(file, { readonly: true });
    const columns = check.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'series\')').all().map((c) => c.name);
    check.close();
    assert.deepEqual(columns, ['id', 'owner_id', 'public', 'created_at', 'version']);
  });
});

describe('SQLite store: the model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timetric-sqlite-model-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const seed of [1, 2, 3, 4]) {
    it(`gives the model's answers after every one of 2,000 random operations, chunk invariant checked on the tables (seed ${seed})`, async () => {
      const file = join(dir, `model-${seed}.db`);
      let check: Database.Database | undefined;
      // memoryLimit 50: staged writes of more than 50 points spill to the temporary table.
      const open = async (chunks: ChunkStoreOptions) => {
        const store = await openSqliteStore(file, { chunks, memoryLimit: 50, batchPoints: 40, synchronous: 'NORMAL' });
        check = new Database(file, { readonly: true });
        return store;
      };
      try {
        await runStoreModel(open, seed, 2_000, { afterStep: (_store, id) => checkSqliteInvariant(check!, id) });
      } finally {
        check?.close();
      }
    });
  }
});
