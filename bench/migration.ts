// Migration bench (storage #17): a SQLite database of the row format (one row a point, before
// chunks) with MIGRATION_POINTS points (default 10,000,000, in 4 series) is opened by this tree's
// store in a child process, which moves the rows into chunks batch by batch; prints the time,
// points/s, the peak RSS of the migrating process (getrusage) beside its RSS before it opened the
// store, and the file size before and after. MIGRATION_BATCH sets batchPoints (default the store's).
// Usage: npx tsx bench/migration.ts   (~40 s for 10 M points)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRowDatabase } from '../spec/store/makeRowDatabase.js';

const POINTS = Number(process.env.MIGRATION_POINTS ?? 10_000_000);
const SERIES = 4;
const dir = mkdtempSync(join(tmpdir(), 'timetric-migration-bench-'));
try {
  const file = join(dir, 'rows.db');
  let t = performance.now();
  makeRowDatabase(file, SERIES, Math.ceil(POINTS / SERIES));
  const made = performance.now() - t;
  const before = statSync(file).size;
  t = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'spec/store/sqliteMigrateChild.ts', file, ...(process.env.MIGRATION_BATCH ? [process.env.MIGRATION_BATCH] : [])], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`the migrating process failed (${run.status ?? run.signal}): ${run.stderr}`);
  const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { done?: boolean; rssBeforeKb: number; maxRssKb: number; ms: number });
  const done = lines[lines.length - 1]!;
  const after = statSync(file).size + (() => {
    try {
      return statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  })();
  const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
  console.log(`row-format database: ${POINTS.toLocaleString('en-US')} points in ${SERIES} series, built in ${(made / 1000).toFixed(1)} s`);
  console.log(`| figure | value |\n|---|---|`);
  console.log(`| batches | ${lines.length - 1} |`);
  console.log(`| migration (store open), s | ${(done.ms / 1000).toFixed(1)} |`);
  console.log(`| migration points/s | ${Math.round(POINTS / (done.ms / 1000)).toLocaleString('en-US')} |`);
  console.log(`| RSS before opening the store, MB | ${(done.rssBeforeKb / 1024).toFixed(0)} |`);
  console.log(`| peak RSS of the migrating process, MB | ${(done.maxRssKb / 1024).toFixed(0)} |`);
  console.log(`| file before (rows), MB | ${mb(before)} (${(before / POINTS).toFixed(1)} B/point) |`);
  console.log(`| file after (chunks, vacuumed, incl. WAL), MB | ${mb(after)} (${(after / POINTS).toFixed(2)} B/point) |`);
  console.log(`| wall time of the child incl. start-up, s | ${((performance.now() - t) / 1000).toFixed(1)} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
