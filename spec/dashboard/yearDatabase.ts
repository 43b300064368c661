// The SQLite database of a year at 1 Hz (31,536,000 points) that the year checks of the dashboard
// read: written once by writeYear into var/cache/ and reused while its version stays the same
// (writing it takes minutes on a loaded machine; reading it, milliseconds). Written under a
// temporary name and renamed once closed, so a run cut short leaves no half database behind.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import { writeYear } from './writeYear.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VERSION = 2; // 2: the chunk summaries gained columns (count of numbers, times of min and max)

/** Where the year lives and what it holds: series `id`, one point a second over `[start, start + seconds)`. */
export interface YearDatabase {
  path: string;
  id: string;
  start: number;
  seconds: number;
}

/** The year's database, written first if `var/cache` has none of this version; `log` hears how long that took. */
export async function yearDatabase(log: (line: string) => void = () => {}): Promise<YearDatabase> {
  const dir = join(ROOT, 'var', 'cache');
  const path = join(dir, `dashboard-year-v${VERSION}.db`);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) return { path, ...(JSON.parse(readFileSync(meta, 'utf8')) as Omit<YearDatabase, 'path'>) };
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const started = performance.now();
  const store = await openSqliteStore(tmp);
  const start = 1_735_689_600; // 2025-01-01T00:00:00Z
  const seconds = 365 * 86_400;
  let id: string;
  try {
    const owner = await store.createUser('year', 'x');
    id = await writeYear(store, owner.id, { start, seconds, title: 'Grid load, a year at 1 Hz' });
  } finally {
    await store.close();
  }
  renameSync(tmp, path);
  for (const suffix of ['-wal', '-shm']) rmSync(`${tmp}${suffix}`, { force: true });
  writeFileSync(meta, JSON.stringify({ id, start, seconds }));
  log(`wrote a year at 1 Hz (${seconds.toLocaleString('en-US')} points) into ${path} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { path, id, start, seconds };
}
