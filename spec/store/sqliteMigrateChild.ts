// A child process for spec/store/sqlite-migration.spec.ts and bench/migration.ts: opens a SQLite
// file with this tree's store, which moves the points of the row format into chunks. Prints one
// JSON line per batch ({moved, left}) and, once open, {done, rssBeforeKb, maxRssKb, ms}: peak
// resident memory of this process (getrusage) and the RSS it had before the store opened.
// Usage: tsx spec/store/sqliteMigrateChild.ts FILE [BATCH_POINTS]
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';

const [file, batch] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx spec/store/sqliteMigrateChild.ts FILE [BATCH_POINTS]');
  process.exit(2);
}
const rssBeforeKb = Math.round(process.memoryUsage.rss() / 1024);
const started = performance.now();
const store = await openSqliteStore(file, {
  ...(batch ? { batchPoints: Number(batch) } : {}),
  onMigrationProgress: (moved, left) => console.log(JSON.stringify({ moved, left })),
});
const ms = Math.round(performance.now() - started);
await store.close();
console.log(JSON.stringify({ done: true, rssBeforeKb, maxRssKb: process.resourceUsage().maxRSS, ms }));
