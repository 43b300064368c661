// A child process for spec/store/sqlite-compaction-crash.spec.ts: opens a SQLite file with this
// tree's store and compacts the head of every series that has one, one series at a time, printing
// {compacting: ID} before each (the parent kills it with SIGKILL inside one) and {done: true} at the end.
// Usage: tsx spec/store/sqliteCompactChild.ts FILE
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx spec/store/sqliteCompactChild.ts FILE');
  process.exit(2);
}
const store = await openSqliteStore(file, { chunks: { compactEveryMs: 0 } });
const { series } = await store.storageStats!();
for (const s of series.filter((x) => x.headPoints > 0)) {
  console.log(JSON.stringify({ compacting: s.seriesId, headPoints: s.headPoints }));
  await store.compact!(s.seriesId);
}
await store.close();
console.log(JSON.stringify({ done: true }));
