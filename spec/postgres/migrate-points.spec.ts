// Migration of a PostgreSQL database of the row format (one row a point in `points`, before storage
// #17) to chunks: (a) a database written by the release before (commit 63c5db0, extracted with git
// archive and run in its own process) serves byte-identical CSV, the same ETags, Links and latest
// values after the new code opened it; (b) a migration killed with SIGKILL after its first batches
// is finished by the next open, every point identical; (c) the migrating process's peak RSS stays
// bounded on 2 M points (one batch at a time); (d) instances migrating at once take turns and move
// every batch once; (e) a stored point the chunks cannot hold stops the migration with a clear
// error and applies nothing of its batch.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { previousTree, type PreviousTree } from '../../bench/previousTree.js';
import { migratePoints, type PointsMigration } from '../../src/server/store/postgres/migratePoints.js';
import { migratePostgres } from '../../src/server/store/postgres/migratePostgres.js';
import { openPostgresStore } from '../../src/server/store/postgres/openPostgresStore.js';
import { pgMigrations } from '../../src/server/store/postgres/pgMigrations.js';
import { seriesKey } from '../../src/server/store/postgres/seriesKey.js';
import { createPostgresTestDatabase } from '../helpers/createPostgresTestStore.js';
import { startServer } from '../helpers/startServer.js';
import { checkPostgresInvariant } from '../store/postgresInvariant.js';
import { expectedTime, expectedValue, makePgRowDatabase } from './pgRowDatabase.js';

/** The last commit whose stores keep one row per point. */
const ROW_FORMAT_COMMIT = '63c5db0886dc330f78b86fff88fe48ed973135b5';

const databases: { drop(): Promise<void> }[] = [];
async function database(): Promise<string> {
  const db = await createPostgresTestDatabase();
  databases.push(db);
  return db.connectionString;
}
after(async () => {
  for (const db of databases) await db.drop();
});

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

async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(text, values)).rows;
  } finally {
    await c.end();
  }
}

const pointsTableExists = async (url: string): Promise<boolean> => (await query<{ e: boolean }>(url, "SELECT to_regclass('points') IS NOT NULL AS e"))[0]!.e;

describe('PostgreSQL migration of the row format', () => {
  let tree: PreviousTree;
  before(() => {
    tree = previousTree(ROW_FORMAT_COMMIT);
  });
  after(() => tree.remove());

  it('(a) a database the release before wrote serves byte-identical CSV, ETags, Links and latest values', async () => {
    const url = await database();
    const old = child('spec/postgres/pgOldTreeChild.ts', [tree.root, url]);
    const { url: origin, basic, ids } = await old.next<{ url: string; basic: string; ids: Record<string, string> }>();
    const paths: string[] = [];
    for (const [name, id] of Object.entries(ids)) {
      const base = `/series/${id}`;
      paths.push(`${base}/csv/`, `${base}/csv/iso.csv`, `${base}/csv/?limit=777`, `${base}/csv/unix.csv?start=1500000100&end=1500012345.5&limit=5000`, `${base}/value/json/`);
      if (name === 'edge') paths.push(`${base}/csv/?limit=5`, `${base}/csv/?start=-1&end=1600000000.5`, `${base}/csv/iso.csv?start=1970-01-01T00:00:00Z&limit=3`);
      if (name === 'walk') paths.push(`${base}/csv/?start=1500029000`, `${base}/csv/?start=1500004095&end=1500004097`);
    }
    const take = async (at: string) => {
      const out = [];
      for (const path of paths) {
        const r = await fetch(`${at}${path}`, { headers: { authorization: basic } });
        const body = Buffer.from(await r.arrayBuffer());
        out.push({ path, status: r.status, etag: r.headers.get('etag'), link: r.headers.get('link')?.replace(at, 'ORIGIN') ?? null, body: body.toString('latin1') });
      }
      return out;
    };
    const before = await take(origin);
    old.proc.kill('SIGTERM');
    assert.equal((await old.exited).code, 0);
    assert.ok(before.some((r) => r.status === 200 && r.body.length > 500_000), 'the walk series was served');
    assert.ok(before.some((r) => r.link !== null), 'some pages have a Link');
    assert.ok(await pointsTableExists(url), 'the release wrote the row format');

    const store = await openPostgresStore(url);
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
    assert.equal(await pointsTableExists(url), false, 'points is dropped once empty');
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      for (const id of Object.values(ids)) await checkPostgresInvariant(check, id);
    } finally {
      await check.end();
    }
  });

  it('(b) a migration killed with SIGKILL after its first batches is finished by the next open: every point identical', async () => {
    const url = await database();
    const ids = await makePgRowDatabase(url, 3, 500_000, 1_000);
    const keys = ids.map(seriesKey);
    const migrating = child('spec/postgres/pgMigrateChild.ts', [url, '20000']);
    for (let batch = 0; batch < 3; batch++) await migrating.next<{ moved: number }>();
    migrating.proc.kill('SIGKILL');
    assert.equal((await migrating.exited).signal, 'SIGKILL');
    const [mid] = await query<{ rows: string; chunked: string }>(
      url,
      'SELECT (SELECT count(*) FROM points WHERE series_id = ANY ($1::bigint[])) AS rows, (SELECT coalesce(sum(count), 0) FROM chunks) AS chunked',
      [keys],
    );
    const rows = Number(mid!.rows);
    const chunked = Number(mid!.chunked);
    assert.ok(rows > 0 && chunked > 0, `killed mid-way (${chunked} points in chunks, ${rows} rows left)`);
    assert.equal(rows + chunked, 1_500_000, 'every point is a row or in a chunk, never both');

    const store = await openPostgresStore(url);
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
        assert.equal(x, 500_000, `series ${s}: every point`);
        assert.equal((await store.getSeriesHead(id))?.version, 7 + s, 'versions kept');
      }
    } finally {
      await store.close();
    }
    assert.equal(await pointsTableExists(url), false);
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      for (const id of ids) await checkPostgresInvariant(check, id);
      // Batches end in the middle of chunks, and the next batch fills them: at 1 Hz every chunk but
      // each series' first and last is an hour (3,600 points, cut at the aligned time).
      const short = await check.query<{ n: string }>(
        'SELECT count(*) AS n FROM chunks c WHERE count < 3600 AND start_ts > (SELECT min(start_ts) FROM chunks d WHERE d.series_key = c.series_key) AND start_ts < (SELECT max(start_ts) FROM chunks d WHERE d.series_key = c.series_key)',
      );
      assert.equal(Number(short.rows[0]!.n), 0);
      assert.equal(Number((await check.query<{ n: string }>('SELECT count(*) AS n FROM head')).rows[0]!.n), 0, 'nothing in the head');
    } finally {
      await check.end();
    }
  });

  it('(c) migrates 2 M points in bounded memory: peak RSS of the migrating process < 200 MB', async () => {
    const url = await database();
    await makePgRowDatabase(url, 1, 2_000_000);
    const migrating = child('spec/postgres/pgMigrateChild.ts', [url]);
    let line: { done?: boolean; rssBeforeKb?: number; maxRssKb?: number; ms?: number; moved?: number };
    let batches = 0;
    while (!(line = await migrating.next<typeof line>()).done) batches++;
    assert.equal((await migrating.exited).code, 0);
    const peakMb = line.maxRssKb! / 1024;
    console.log(`migrated 2,000,000 points in ${batches} batches, ${line.ms} ms; RSS ${(line.rssBeforeKb! / 1024).toFixed(0)} MB before, peak ${peakMb.toFixed(0)} MB`);
    assert.equal(batches, 40);
    assert.ok(peakMb < 200, `peak RSS ${peakMb.toFixed(0)} MB`);
    const [moved] = await query<{ n: string }>(url, 'SELECT coalesce(sum(count), 0) AS n FROM chunks');
    assert.equal(Number(moved!.n), 2_000_000);
  });

  it('(d) instances migrating at once take turns: each batch is moved once, by one of them', async () => {
    const url = await database();
    const ids = await makePgRowDatabase(url, 2, 100_000, 500);
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: url, max: 2 }));
    let results: PointsMigration[];
    try {
      await migratePostgres(pools[0]!, pgMigrations);
      results = await Promise.all(pools.map((pool) => migratePoints(pool, copyStreams.to, { batchPoints: 10_000, chunks: {} })));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
    const sum = (f: (r: PointsMigration) => number): number => results.reduce((n, r) => n + f(r), 0);
    assert.equal(sum((r) => r.moved), 200_000);
    assert.equal(sum((r) => r.orphaned), 500);
    assert.equal(sum((r) => r.batches), Math.ceil(200_500 / 10_000), `batches ${results.map((r) => r.batches).join(' + ')}`);
    assert.ok(results.filter((r) => r.batches > 0).length >= 2, 'the instances took turns');
    assert.equal(await pointsTableExists(url), false);
    const store = await openPostgresStore(url);
    try {
      for (const [s, id] of ids.entries()) {
        const stats = (await store.storageStats!(id)).series[0]!;
        assert.equal(stats.points, 100_000);
        assert.deepEqual(await store.latest(id), [expectedTime(s, 99_999), expectedValue(s, 99_999)]);
      }
    } finally {
      await store.close();
    }
  });

  it('(e) a stored point the chunks cannot hold stops the migration naming it, and nothing of its batch is applied; a new database has no points table', async () => {
    const url = await database();
    const [id] = await makePgRowDatabase(url, 1, 1_000);
    await query(url, "UPDATE points SET v = 'Infinity' WHERE ts = 1500000500");
    await assert.rejects(openPostgresStore(url), (err: Error) => {
      assert.match(err.message, new RegExp(`series key ${seriesKey(id!)} has a point at 1500000500 with value Infinity`));
      assert.match(err.message, /correct or delete that row of "points"/);
      return true;
    });
    const [left] = await query<{ rows: string; chunks: string }>(url, 'SELECT (SELECT count(*) FROM points) AS rows, (SELECT count(*) FROM chunks) AS chunks');
    assert.deepEqual(left, { rows: '1000', chunks: '0' });
    await query(url, "UPDATE points SET v = 5 WHERE ts = 1500000500");
    const store = await openPostgresStore(url);
    try {
      assert.equal((await store.storageStats!(id)).series[0]!.points, 1_000);
    } finally {
      await store.close();
    }

    const fresh = await database();
    const empty = await openPostgresStore(fresh);
    await empty.close();
    assert.equal(await pointsTableExists(fresh), false);
  });
});
