// An RxJS composition: combineLatest of two series' latest$, their mean smoothed by a moving average, written into a third series with writeTo.
// Run: npx tsx examples/moving-average.ts [--points N] [--window W] [--a=ID --b=ID]   (stops after N averages, default 5; write ids with "=", as an id may begin with "-")
import { parseArgs } from 'node:util';
import { combineLatest, filter, map, scan, take } from 'rxjs';
import { writeTo, type Point } from 'timetric';
import { demoClient, demoConfig } from './demoConfig.js';

const { values } = parseArgs({ options: { points: { type: 'string', default: '5' }, window: { type: 'string', default: '3' }, a: { type: 'string' }, b: { type: 'string' }, interval: { type: 'string', default: '500' } } });
const points = Number(values.points);
const width = Number(values.window);
const client = demoClient();
const ids = (demoConfig() as { series?: string[] }).series ?? [];
const a = client.series(values.a ?? ids[0] ?? '');
const b = client.series(values.b ?? ids[1] ?? '');
const out = await client.createSeries({ title: 'Moving average', caption: `mean of ${a.id} and ${b.id}, window ${width}`, tags: ['example'] });
console.log(`averaging ${a.id} and ${b.id} into ${out.id}`);

const watch = { intervalMs: Number(values.interval) };
let written = 0;
combineLatest([a.watch(watch), b.watch(watch)])
  .pipe(
    filter((pair): pair is [Point, Point] => pair[0] !== null && pair[1] !== null),
    map(([pa, pb]): [number, number] => [Math.max(pa[0], pb[0]), (Number(pa[1]) + Number(pb[1])) / 2]),
    scan((win: [number, number][], p) => [...win, p].slice(-width), []), // the last `width` means
    map((win): [number, number] => [win.at(-1)![0], win.reduce((s, [, v]) => s + v, 0) / win.length]),
    take(points),
    map(([t, v]) => {
      console.log(`average at ${t}: ${v.toFixed(3)}`);
      return [t, v] as [number, number];
    }),
    writeTo(out, { windowMs: 200 }),
  )
  .subscribe({
    next: (r) => (written += r.points),
    error: (err: Error) => {
      console.error(`failed: ${err.message}`);
      process.exitCode = 1;
    },
    complete: () => console.log(`done: ${written} averages written to ${out.id}`),
  });
