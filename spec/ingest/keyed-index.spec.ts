// "The same line always lands in the same series: the lookup is indexed and not a scan" (issue 13),
// on both stores whatever TIMETRIC_TEST_STORE says: 1,000 series created by one write, the same
// lines written again land in the same series (no new one), and the database's own planner shows
// the lookup probing the (owner, key hash) primary key of keyed_series.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgresStore } from '../../src/server/store/postgres/openPostgresStore.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import type { Store } from '../../src/server/store/Store.js';
import { createPostgresTestDatabase } from '../helpers/createPostgresTestStore.js';
import { startServer } from '../helpers/startServer.js';

const SERIES = 1_000;
const body = (v: number): string => Array.from({ length: SERIES }, (_, i) => `idx,host=h${i} v=${v} ${v}`).join('\n');

/** Writes SERIES series twice; checks the second write found them all; returns the owner's id. */
async function writeTwice(store: Store): Promise<number> {
  const t = await startServer({ store });
  try {
    const u = await t.user('keyed-index');
    for (const v of [1, 2]) {
      const r = await fetch(`${t.url}/write?db=idx&precision=s`, { method: 'POST', headers: { authorization: `Token ${u.key}:${u.secret}` }, body: body(v) });
      assert.equal(r.status, 204, await r.text());
    }
    const page = await fetch(`${t.url}/search/results.thin.json?q=${encodeURIComponent('idx host=h999')}`, { headers: { authorization: u.basic } });
    const [s] = (await page.json()) as { id: string }[];
    const csv = await (await fetch(`${t.url}/series/${s!.id}/csv/`, { headers: { authorization: u.basic } })).text();
    assert.equal(csv, '1,1\n2,2\n', 'the second write landed in the series the first created');
    assert.deepEqual(await store.keyedNames!(u.id), ['idx']);
    return u.id;
  } finally {
    await t.close();
  }
}

describe('keyed series lookup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timetric-keyed-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('SQLite: a primary-key probe of keyed_series, the same series on the second write', async () => {
    const file = join(dir, 'keyed.db');
    const store = await openSqliteStore(file);
    try {
      await writeTwice(store);
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      assert.equal((db.prepare('SELECT count(*) AS n FROM keyed_series').get() as { n: number }).n, SERIES);
      assert.equal((db.prepare('SELECT count(*) AS n FROM series').get() as { n: number }).n, SERIES);
      const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT series_id FROM keyed_series WHERE owner_id = ? AND key_hash = ?').all(1, 'x') as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
      assert.match(plan, /SEARCH keyed_series USING PRIMARY KEY \(owner_id=\? AND key_hash=\?\)/);
    } finally {
      db.close();
    }
  });

  it('PostgreSQL: an index scan of keyed_series_pkey, the same series on the second write', async () => {
    const database = await createPostgresTestDatabase();
    const store = await openPostgresStore(database.connectionString);
    let owner = 0;
    try {
      owner = await writeTwice(store);
    } finally {
      await store.close();
    }
    const client = new pg.Client({ connectionString: database.connectionString });
    await client.connect();
    try {
      assert.equal(Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM keyed_series')).rows[0]!.n), SERIES);
      await client.query('ANALYZE keyed_series');
      const res = await client.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT key_hash, series_id FROM keyed_series WHERE owner_id = $1 AND key_hash = ANY($2::text[])', [
        owner,
        ['some-hash'],
      ]);
      const plan = res.rows.map((r) => r['QUERY PLAN']).join('\n');
      assert.match(plan, /Index (Only )?Scan using keyed_series_pkey on keyed_series/);
      assert.doesNotMatch(plan, /Seq Scan/);
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
