// Writes larger than the in-memory limit spill to a temporary table in short transactions: still
// all or nothing, still last-wins per timestamp, never interleaved with another writer; and close()
// ends open event streams. The store here is a SQLite file with a tiny memory limit.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import { CSV, createSeries, readCsv } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

const dir = mkdtempSync(join(tmpdir(), 'timetric-large-'));
const file = join(dir, 'large.db');
let t: TestServer;
let alice: TestUser;
before(async () => {
  t = await startServer({ store: await openSqliteStore(file, { memoryLimit: 1000 }) });
  alice = await t.user('large-alice');
});
after(async () => {
  await t.close();
  await t.store.close();
  rmSync(dir, { recursive: true, force: true });
});
const auth = () => ({ authorization: alice.basic });
/**
 * Staged points live in a TEMP table of the server's own connection, dropped when the write ends
 * (spec/store/sqlite-staging.spec.ts checks that on the connection): none may be in the file.
 */
const stagedRows = (): number => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE '%stag%'").get() as { n: number }).n;
  } finally {
    db.close();
  }
};
const lines = (from: number, to: number, value: (i: number) => string | number): string => {
  let s = '';
  for (let i = from; i < to; i++) s += `${i},${value(i)}\n`;
  return s;
};

describe('writes over the memory limit', () => {
  it('commit everything in arrival order (last point for a timestamp wins across the spill)', async () => {
    const id = await createSeries(t.url, alice.basic);
    const body = '5,1\n' + lines(10, 120_010, (i) => i % 7) + '5,true\n';
    const r = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body });
    assert.equal(r.status, 204);
    const csv = (await readCsv(t.url, id, alice.basic)).trim().split('\n');
    assert.equal(csv.length, 120_001);
    assert.equal(csv[0], '5,true');
    assert.equal(csv.at(-1), `120009,${120_009 % 7}`);
    assert.equal(stagedRows(), 0);
  });

  it('a bad line after the spill applies nothing and leaves no staged rows', async () => {
    const id = await createSeries(t.url, alice.basic);
    await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, ...auth() }, body: '1,1\n' });
    const body = lines(2, 60_000, (i) => i) + '60000,Infinity\n';
    const r = await fetch(`${t.url}/series/${id}/`, { method: 'PUT', headers: { ...CSV, ...auth() }, body });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /line 59999.*Infinity/);
    assert.equal(await readCsv(t.url, id, alice.basic), '1,1\n');
    assert.equal(stagedRows(), 0);
  });

  it('concurrent spilling writers to one series each land whole, never mixed', async () => {
    const id = await createSeries(t.url, alice.basic);
    const put = (v: number) =>
      fetch(`${t.url}/series/${id}/`, { method: 'PUT', headers: { ...CSV, ...auth() }, body: lines(0, 40_000, () => v) });
    const statuses = await Promise.all([put(1), put(2), put(3)]);
    assert.deepEqual(statuses.map((r) => r.status), [204, 204, 204]);
    const csv = (await readCsv(t.url, id, alice.basic)).trim().split('\n');
    assert.equal(csv.length, 40_000);
    assert.equal(new Set(csv.map((l) => l.split(',')[1])).size, 1);
    assert.equal(stagedRows(), 0);
  });
});

describe('the SQLite point writer', () => {
  it('a commit() that does not wait for a spilling stage() still commits every point', async () => {
    const id = await createSeries(t.url, alice.basic);
    const writer = await t.store.openWriter(id, 'merge');
    const points = Array.from({ length: 130_000 }, (_, i) => [i, i % 3 === 0 ? null : i % 3 === 1] as const);
    const staging = writer.stage(points);
    const committed = await writer.commit();
    await staging;
    assert.equal(committed.points, 130_000);
    const csv = (await readCsv(t.url, id, alice.basic)).trim().split('\n');
    assert.deepEqual([csv.length, csv[0], csv[1], csv[2], csv.at(-1)], [130_000, '0,null', '1,true', '2,false', '129999,null']);
    assert.equal(stagedRows(), 0);
  });
});

describe('close()', () => {
  it('ends open event streams and resolves', async () => {
    const other = await startServer({ heartbeatMs: 60_000 });
    const bob = await other.user('large-bob');
    const id = await createSeries(other.url, bob.basic);
    const res = await fetch(`${other.url}/series/${id}/value/events/`, { headers: { authorization: bob.basic } });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('data:')) {
      const { value, done } = await reader.read();
      assert.equal(done, false);
      text += decoder.decode(value);
    }
    assert.match(text, /data: \{"timestamp":null,"value":null\}/);
    const closed = other.close();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    await closed;
  });
});
