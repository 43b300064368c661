// Sensor lines from stdin ("time,value", or plain values timed when read) piped into a series through writeTo, printing one receipt per batch.
// Run: some-sensor | npx tsx examples/sensor-pipe.ts [SERIES_ID]   (without an id it creates a series)
import { createInterface } from 'node:readline';
import { filter, from, map } from 'rxjs';
import { writeTo, type PointInput } from 'timetric';
import { demoClient } from './demoConfig.js';

const client = demoClient();
const id = process.argv[2];
const series = id ? client.series(id) : await client.createSeries({ title: 'Sensor pipe', caption: 'stdin', tags: ['example'] });
console.log(`writing to series ${series.id}`);

let total = 0;
let replaced = 0;
from(createInterface({ input: process.stdin }))
  .pipe(
    map((line) => line.trim()),
    filter((line) => line !== ''),
    map((line): PointInput => {
      const comma = line.indexOf(',');
      // Stamped to the millisecond: two readings in one second must not share a timestamp.
      return comma < 0 ? [Date.now() / 1000, Number(line)] : [line.slice(0, comma), Number(line.slice(comma + 1))];
    }),
    writeTo(series, { windowMs: 500 }),
  )
  .subscribe({
    next: (r) => {
      total += r.points;
      replaced += r.replaced ?? 0;
      console.log(`receipt: ${r.points} points ${r.firstTime}..${r.lastTime} in ${r.durationMs} ms (attempts ${r.attempts})`);
      // A point at a time already stored replaces it: readings stamped too coarsely overwrite each other.
      if (r.replaced) console.warn(`warning: ${r.replaced} of these points replaced a point at the same time (stamp readings more finely)`);
    },
    error: (err: Error) => {
      console.error(`failed: ${err.message}`);
      process.exitCode = 1;
    },
    complete: () => console.log(`done: ${total} points written${replaced ? `, ${replaced} of them replaced a point at the same time` : ''}`),
  });
