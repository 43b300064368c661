// `timetric stats` against SQLite files in a temporary directory: per series and in total, the
// points, chunks, head points, bytes and bytes a point the store reports (Store.storageStats), as a
// table or JSON, for one series or all; a database of the row format is migrated by the open. The
// command line runs in-process (runInProcess) and once as a child process, as a user runs it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Point } from '../../src/codec/Point.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import { assertHelpOptionsAccepted, assertOneLineError, bundleCli, runCli, runInProcess } from '../helpers/cliRunner.js';
import { makeRowDatabase } from '../store/makeRowDatabase.js';

interface StatsJson {
  series: { seriesId: string; points: number; chunks: number; headPoints: number; bytes: number; bytesPerPoint: number | null }[];
  total: { series: number; points: number; chunks: number; headPoints: number; bytes: number; bytesPerPoint: number | null };
  databaseBytes: number;
}

const stats = (args: string[]) => runInProcess(['stats', ...args], { env: { TIMETRIC_DB: '' } });
const newSeries = (id: string) => ({ id: id.padEnd(22, 'x'), ownerId: 1, title: 't', caption: '', description: null, tags: [], public: false, extra: {} });

describe('timetric stats', () => {
  let dir = '';
  let db = '';
  const bulk = 'statsBulk'.padEnd(22, 'x');
  const appended = 'statsAppended'.padEnd(22, 'x');
  const empty = 'statsEmpty'.padEnd(22, 'x');
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'timetric-stats-'));
    db = join(dir, 'stats.db');
    const store = await openSqliteStore(db, { synchronous: 'NORMAL' });
    const user = await store.createUser('stats', 'scrypt$x$y');
    for (const id of [bulk, appended, empty]) await store.createSeries({ ...newSeries(id), ownerId: user.id });
    const w = await store.openWriter(bulk, 'merge');
    let v = 20;
    await w.stage(Array.from({ length: 100_000 }, (_, i): Point => [1_500_000_000 + i, (v = Math.round((v + Math.sin(i) / 2) * 100) / 100)]));
    await w.commit();
    // 100 appends stay in the head (compactHeadAt is 1,024).
    for (let i = 0; i < 100; i++) await store.appendValue(appended, 1_600_000_000 + i, i);
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has --help listing its options, each accepted', async () => {
    const run = await stats(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: timetric stats \[--series ID\] \[--json\] \[--db FILE\|URL\]/);
    assert.deepEqual(await assertHelpOptionsAccepted(['stats'], run.stdout), ['--series', '--json', '--db', '--help']);
    assert.match((await runInProcess(['--help'])).stdout, /\n {2}stats {2,}show how points are stored/);
  });

  it('prints per series and in total: points, chunks, head points, bytes and bytes a point, then the database size', async () => {
    const run = await stats(['--db', db]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.deepEqual(lines[0]!.split(/\s{2,}/), ['SERIES', 'POINTS', 'CHUNKS', 'HEAD', 'BYTES', 'B/POINT']);
    const cells = (line: string) => line.split(/\s{2,}/);
    const [b, a, e, total] = lines.slice(1, 5).map(cells);
    assert.deepEqual(b!.slice(0, 4), [bulk, '100,000', '29', '0']); // cut at whole hours (1 Hz from 00:40): 1,200 points to the first, 27 hours of 3,600, then 1,600
    assert.deepEqual(a!.slice(0, 4), [appended, '100', '0', '100']);
    assert.deepEqual(e, [empty, '0', '0', '0', '0', '-']);
    assert.deepEqual(total!.slice(0, 4), ['total (3 series)', '100,100', '29', '100']);
    const bytesPerPoint = Number(b![5]);
    assert.ok(bytesPerPoint > 0.5 && bytesPerPoint < 6, `${bytesPerPoint} B/point`);
    assert.match(lines[5]!, /^database: [\d,]+ bytes \(\d+\.\d\d B\/point\)$/);
  });

  it('--json gives the same figures as Store.storageStats, with totals; the database is the file and its WAL', async () => {
    const run = await stats(['--db', db, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const got = JSON.parse(run.stdout) as StatsJson;
    const store = await openSqliteStore(db);
    const direct = await store.storageStats!();
    await store.close();
    assert.deepEqual(got.series.map(({ bytesPerPoint: _, ...s }) => s), direct.series);
    assert.deepEqual(got.series.map((s) => s.bytesPerPoint), direct.series.map((s) => (s.points ? Math.round((s.bytes / s.points) * 100) / 100 : null)));
    assert.deepEqual(got.total, {
      series: 3,
      points: 100_100,
      chunks: 29,
      headPoints: 100,
      bytes: direct.series.reduce((x, s) => x + s.bytes, 0),
      bytesPerPoint: Math.round((direct.series.reduce((x, s) => x + s.bytes, 0) / 100_100) * 100) / 100,
    });
    const wal = (() => {
      try {
        return statSync(`${db}-wal`).size;
      } catch {
        return 0;
      }
    })();
    assert.equal(got.databaseBytes, statSync(db).size + wal);
    // The series' bytes share the pages of the point tables: together no more than the file.
    assert.ok(got.total.bytes > 0 && got.total.bytes <= got.databaseBytes);
  });

  it('--series ID shows that series only; an unknown series fails with one line and exit code 1', async () => {
    const run = await stats(['--db', db, '--series', appended, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const got = JSON.parse(run.stdout) as StatsJson;
    assert.deepEqual(got.series.map((s) => [s.seriesId, s.points, s.headPoints]), [[appended, 100, 100]]);
    const table = await stats(['--db', db, '--series', bulk]);
    assert.equal(table.stdout.trimEnd().split('\n').length, 3, 'header, the series, the database line');
    assertOneLineError(await stats(['--db', db, '--series', 'nosuchseries']), 1, /^timetric stats: no series nosuchseries\n$/);
    assertOneLineError(await stats(['--db', db, 'extra']), 2, /unexpected argument "extra"/);
  });

  it('on a database of the row format, the open moves the points into chunks first and stats reports them', async () => {
    const file = join(dir, 'rows.db');
    const [id] = makeRowDatabase(file, 1, 10_000);
    const run = await stats(['--db', file, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const got = JSON.parse(run.stdout) as StatsJson;
    assert.deepEqual(got.series.map((s) => [s.seriesId, s.points, s.chunks, s.headPoints]), [[id, 10_000, 4, 0]]); // cut at whole hours: 1,200 + 3,600 + 3,600 + 1,600
  });

  it('warns about heads over twice the default compactHeadAt (compaction failing), naming them; --json lists them in headBacklog', async () => {
    const file = join(dir, 'backlog.db');
    const stuck = 'statsStuck'.padEnd(22, 'x');
    // A store that never compacts stands in for one whose compactions fail.
    const store = await openSqliteStore(file, { synchronous: 'NORMAL', chunks: { compactHeadAt: 1_000_000, compactEveryMs: 0 } });
    const user = await store.createUser('backlog', 'scrypt$x$y');
    for (const id of [stuck, empty]) await store.createSeries({ ...newSeries(id), ownerId: user.id });
    for (let i = 0; i < 2_049; i++) await store.appendValue(stuck, 1_600_000_000 + i, i);
    await store.close();
    const run = await stats(['--db', file]);
    assert.equal(run.code, 0, run.stderr);
    const last = run.stdout.trimEnd().split('\n').at(-1)!;
    assert.equal(last, `warning: 1 series hold more than 2,048 points in the head (${stuck}): their compaction is failing (see the server log) or the server's compactHeadAt is larger`);
    const json = JSON.parse((await stats(['--db', file, '--json'])).stdout) as StatsJson & { headBacklog: string[] };
    assert.deepEqual(json.headBacklog, [stuck]);
    const quiet = JSON.parse((await stats(['--db', db, '--json'])).stdout) as StatsJson & { headBacklog: string[] };
    assert.deepEqual(quiet.headBacklog, [], 'a head of 100 points is no backlog');
  });

  it('runs as a process: exit code 0 and the table on stdout', async () => {
    const { main, remove } = await bundleCli('stats');
    try {
      const run = await runCli(main, ['stats', '--db', db], { env: { TIMETRIC_DB: '' } });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^SERIES {2,}POINTS/);
      assert.equal(run.stderr, '');
    } finally {
      remove();
    }
  });
});
