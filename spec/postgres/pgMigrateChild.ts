// A child process for spec/postgres/migrate-points.spec.ts: migrates the row format of the
// PostgreSQL database at URL (the schema steps, then the points in batches) and prints one JSON
// line per committed batch {moved}, then {done, ms, rssBeforeKb, maxRssKb}. Killed with SIGKILL
// mid-way by the spec. Usage: tsx spec/postgres/pgMigrateChild.ts URL [BATCH_POINTS]
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { migratePoints } from '../../src/server/store/postgres/migratePoints.js';
import { migratePostgres } from '../../src/server/store/postgres/migratePostgres.js';
import { pgMigrations } from '../../src/server/store/postgres/pgMigrations.js';
import { DEFAULT_POSTGRES_STORE_OPTIONS } from '../../src/server/store/postgres/postgresStoreOptions.js';

const [url, batch] = process.argv.slice(2);
if (!url) {
  console.error('usage: tsx spec/postgres/pgMigrateChild.ts URL [BATCH_POINTS]');
  process.exit(2);
}
const rssBeforeKb = Math.round(process.memoryUsage.rss() / 1024);
const started = performance.now();
const pool = new pg.Pool({ connectionString: url, max: 2 });
await migratePostgres(pool, pgMigrations);
await migratePoints(pool, copyStreams.to, {
  batchPoints: Number(batch ?? DEFAULT_POSTGRES_STORE_OPTIONS.migrateBatchPoints),
  chunks: DEFAULT_POSTGRES_STORE_OPTIONS.chunks,
  onBatch: ({ moved }) => console.log(JSON.stringify({ moved })),
});
await pool.end();
console.log(JSON.stringify({ done: true, ms: Math.round(performance.now() - started), rssBeforeKb, maxRssKb: process.resourceUsage().maxRSS }));
