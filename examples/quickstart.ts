// The historical tour: a client from a config, create a series, write a value / pairs / a CSV file, read the latest point, iterate, delete.
import { openAsBlob, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { demoClient } from './demoConfig.js';

const client = demoClient();
const series = await client.createSeries({ title: 'Quickstart', caption: 'units', tags: ['example'] });
console.log(`created series ${series.id}`);

await lastValueFrom(series.update(1.5)); // one value, timed now by the server
console.log('updated with a value: 1.5');
await lastValueFrom(series.update([[1_700_000_000, 10], [1_700_000_060, 11], [1_700_000_120, 12]]));
console.log('updated with 3 pairs');
const file = join(tmpdir(), `quickstart-${process.pid}.csv`);
writeFileSync(file, '2023-11-14T22:16:00Z,13\n2023-11-14T22:17:00Z,14\n');
await lastValueFrom(series.update(await openAsBlob(file)));
console.log(`updated from a CSV file (${file})`);

const latest = await lastValueFrom(series.latest());
console.log(`latest: ${JSON.stringify(latest)}`);
const points = await lastValueFrom(series.values({ end: 1_700_000_000 + 3600 }).pipe(toArray()));
for (const [t, v] of points) console.log(`  ${new Date(t * 1000).toISOString()}  ${v}`);
console.log(`iterated ${points.length} points`);

await lastValueFrom(series.delete());
console.log('deleted');
