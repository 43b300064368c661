// A child process for spec/postgres/compaction-crash.spec.ts: opens the PostgreSQL store at URL
// with the chunk options given as JSON, prints {compacting: true}, compacts every series' head
// (one transaction a series), then prints {done: true}. The spec kills it with SIGKILL mid-way.
// Usage: tsx spec/postgres/pgCompactChild.ts URL CHUNK_OPTIONS_JSON
import { openPostgresStore } from '../../src/server/store/postgres/openPostgresStore.js';

const [url, chunks] = process.argv.slice(2);
if (!url || !chunks) {
  console.error('usage: tsx spec/postgres/pgCompactChild.ts URL CHUNK_OPTIONS_JSON');
  process.exit(2);
}
const store = await openPostgresStore(url, { chunks: JSON.parse(chunks) as object });
console.log(JSON.stringify({ compacting: true }));
await store.compact!();
console.log(JSON.stringify({ done: true }));
await store.close();
