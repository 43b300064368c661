// Migration of a SQLite database of the row format (one row a point in `points`, before storage
// #17) to chunks: (a) a database written by the release before (commit 63c5db0, extracted with git
// archive and run in its own process) serves byte-identical CSV, the same ETags, Links and latest
// values after the new code opened it; (b) a migration killed with SIGKILL after its first batches
// is finished by the next open, every point identical; (c) the migrating process's peak RSS stays
// under 200 MB on 2 M points (one batch at a time; bench/migration.ts shows the same on 10 M).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { previousTree, type PreviousTree } from '../../bench/previousTree.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import { startServer } from '../helpers/startServer.js';
import { expectedTime, expectedValue, makeRowDatabase } from './makeRowDatabase.js';
import { checkSqliteInvariant } from './sqliteInvariant.js';

/** The last commit whose SQLite store keeps one row per point. */
const ROW_FORMAT_COMMIT = '63c5db0886dc330f78b86fff88fe48ed973135b5';

const dir = mkdtempSync(join(tmpdir(), 'timetric-migration-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A child process running a script with tsx; its stdout as JSON lines. */
function child(script: string, args: string[]) {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout });
  const queue: unknown[] = [];
  const waiting: ((line: unknown) => void)[] = [];
  lines.on('line', (line) => {
    const parsed: unknown = JSON.parse(line);
    const w = waiting.shift();
    if (w) w(parsed);
    else queue.push(parsed);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    exited,
    next: <T>(): Promise<T> =>
      queue.length
        ? Promise.resolve(queue.shift() as T)
        : Promise.race([
            new Promise<T>((resolve) => waiting.push(resolve as (line: unknown) => void)),
            exited.then(({ code, signal }) => Promise.reject(new Error(`${script} exited (${code ?? signal}) before its next line`))),
          ]),
  };
}

describe('SQLite migration of the row format', () => {
  let tree: PreviousTree;
  before(() => {
    tree = previousTree(ROW_FORMAT_COMMIT);
  });
  after(() => tree.remove());

  it('(a) a database the release before wrote serves byte-identical CSV, ETags, Links and latest values', async () => {
    const file = join(dir, 'release.db');
    const old = child('spec/store/sqliteOldTreeChild.ts', [tree.root, file]);
    const { url, basic, ids } = await old.next<{ url: string; basic: string; ids: Record<string, string> }>();
    const paths: string[] = [];
    for (const [name, id] of Object.entries(ids)) {
      const base = `/series/${id}`;
      paths.push(`${base}/csv/`, `${base}/csv/iso.csv`, `${base}/csv/?limit=777`, `${base}/csv/unix.csv?start=1500000100&end=1500012345.5&limit=5000`, `${base}/value/json/`);
      if (name === 'edge') paths.push(`${base}/csv/?limit=5`, `${base}/csv/?start=-1&end=1600000000.5`, `${base}/csv/iso.csv?start=1970-01-01T00:00:00Z&limit=3`);
      if (name === 'walk') paths.push(`${base}/csv/?start=1500029000`, `${base}/csv/?start=1500004095&end=1500004097`);
    }
    const take = async (origin: string) => {
      const out = [];
      for (const path of paths) {
        const r = await fetch(`${origin}${path}`, { headers: { authorization: basic } });
        const body = Buffer.from(await r.arrayBuffer());
        out.push({ path, status: r.status, etag: r.headers.get('etag'), link: r.headers.get('link')?.replace(origin, 'ORIGIN') ?? null, body: body.toString('latin1') });
      }
      return out;
    };
    const before = await take(url);
    old.proc.kill('SIGTERM');
    assert.equal((await old.exited).code, 0);
    assert.ok(before.some((r) => r.status === 200 && r.body.length > 500_000), 'the walk series was served');
    assert.ok(before.some((r) => r.link !== null), 'some pages have a Link');

    const store = await openSqliteStore(file);
    const t = await startServer({ store });
    try {
      const now = await take(t.url);
      for (let i = 0; i < paths.length; i++) assert.deepEqual(now[i], before[i], paths[i]);
      const stats = await store.storageStats!();
      const walk = stats.series.find((s) => s.seriesId === ids.walk)!;
      assert.equal(walk.points, 30_000);
      assert.equal(walk.headPoints, 0);
      assert.equal(stats.series.find((s) => s.seriesId === ids.gone), undefined);
    } finally {
      await t.close();
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('points', 'staging')").pluck().get(), 0);
      for (const id of Object.values(ids)) checkSqliteInvariant(db, id);
    } finally {
      db.close();
    }
  });

  it('(b) a migration killed with SIGKILL after its first batches is finished by the next open: every point identical', async () => {
    const file = join(dir, 'killed.db');
    const ids = makeRowDatabase(file, 3, 1_000_000);
    const migrating = child('spec/store/sqliteMigrateChild.ts', [file]);
    for (let batch = 0; batch < 3; batch++) await migrating.next<{ moved: number }>();
    migrating.proc.kill('SIGKILL');
    assert.equal((await migrating.exited).signal, 'SIGKILL');
    const mid = new Database(file, { readonly: true });
    try {
      const rows = mid.prepare<[], number>('SELECT count(*) FROM points').pluck().get()!;
      const chunked = mid.prepare<[], number>('SELECT coalesce(sum(count), 0) FROM chunks').pluck().get()!;
      assert.ok(rows > 0 && chunked > 0, `killed mid-way (${chunked} points in chunks, ${rows} rows left)`);
      assert.equal(rows + chunked, 3_000_000, 'every point is a row or in a chunk, never both');
    } finally {
      mid.close();
    }

    const store = await openSqliteStore(file);
    try {
      for (const [s, id] of ids.entries()) {
        let x = 0;
        for await (const { times, values } of store.readPointColumns!(id, {}, 50_000)) {
          for (let i = 0; i < times.length; i++, x++) {
            if (times[i] !== expectedTime(s, x) || !Object.is(values[i], expectedValue(s, x))) {
              assert.fail(`series ${s} point ${x}: ${times[i]},${String(values[i])} (expected ${expectedTime(s, x)},${String(expectedValue(s, x))})`);
            }
          }
        }
        assert.equal(x, 1_000_000, `series ${s}: every point`);
        assert.equal((await store.getSeriesHead(id))?.version, 7 + s, 'versions kept');
      }
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'points'").pluck().get(), 0);
      for (const id of ids) checkSqliteInvariant(db, id);
      // A batch's short last chunk is merged by the next batch: at 1 Hz every chunk but each
      // series' first and last is an hour (3,600 points, cut at the aligned time).
      const short = db.prepare<[], number>('SELECT count(*) FROM chunks c WHERE count < 3600 AND start_ts > (SELECT min(start_ts) FROM chunks d WHERE d.series_key = c.series_key) AND start_ts < (SELECT max(start_ts) FROM chunks d WHERE d.series_key = c.series_key)').pluck().get();
      assert.equal(short, 0);
    } finally {
      db.close();
    }
  });

  it('(c) migrates 2 M points in bounded memory: peak RSS of the migrating process < 200 MB', async () => {
    const file = join(dir, 'memory.db');
    makeRowDatabase(file, 1, 2_000_000);
    const migrating = child('spec/store/sqliteMigrateChild.ts', [file]);
    let line: { done?: boolean; rssBeforeKb?: number; maxRssKb?: number; ms?: number; moved?: number };
    let batches = 0;
    while (!(line = await migrating.next<typeof line>()).done) batches++;
    assert.equal((await migrating.exited).code, 0);
    const peakMb = line.maxRssKb! / 1024;
    console.log(`migrated 2,000,000 points in ${batches} batches, ${line.ms} ms; RSS ${(line.rssBeforeKb! / 1024).toFixed(0)} MB before, peak ${peakMb.toFixed(0)} MB`);
    assert.ok(batches >= 30, `${batches} batches`);
    // Unbatched (one transaction for all 2 M points) the same process peaks at ~340 MB.
    assert.ok(peakMb < 200, `peak RSS ${peakMb.toFixed(0)} MB`);
    const store = await openSqliteStore(file);
    try {
      const stats = await store.storageStats!();
      assert.equal(stats.series[0]?.points, 2_000_000);
    } finally {
      await store.close();
    }
  });
});
