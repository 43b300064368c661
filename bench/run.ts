// Runs the benchmarks one after another (they share 2 cores, so never at once) and prints their
// tables. `npm run bench` runs all; `npm run bench -- server streams` runs some.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ALL = ['server', 'streams', 'postgres', 'codec', 'storage', 'ingest'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let failed = 0;
for (const name of chosen) {
  const file = `bench/${name}.ts`;
  if (!existsSync(file)) {
    console.error(`bench: no ${file} (choose from ${ALL.join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n=== bench/${name}.ts ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
