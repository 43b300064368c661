// Downsampled reads over a year at 1 Hz (issue 12's targets): 31.5 M points of data set (a) (1 Hz
// random walk, 2 decimals; bench/datasets.ts) written in bulk through the SQLite store's staged
// writer into a temp file and compacted, then, alternating run by run with InfluxDB 1.6 holding the
// same points:
//   - M4 at 1,600 columns over the year (`points=1600&agg=m4`), against
//     `SELECT min(value),max(value),first(value),last(value) FROM m … GROUP BY time(19710s)`;
//   - hourly means (`every=3600&agg=mean`), against `SELECT mean(value) … GROUP BY time(1h)`.
// Ours is timed twice: the store's downsampled read alone (server time, and the CPU time this
// process spent in it: on a loaded machine the wall time includes waiting for a core) and the HTTP
// request to our server on loopback (what a client waits for). Medians of BENCH_RUNS (default 5) after a warm-up,
// with the load average. BENCH_DAYS (default 365) shortens the year; BENCH_INFLUX=0 skips the peer;
// BENCH_CHUNK_POINTS and BENCH_ALIGN (seconds, comma-separated, '' for cuts by count) set the store's
// chunkPoints and chunkAlign (defaults: the store's) to compare chunk layouts.
// Usage: npm run bench:downsample
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Point } from '../src/codec/Point.js';
import type { DownsampleSpec } from '../src/codec/downsample/DownsampleSpec.js';
import { createTimetricServer } from '../src/server/createTimetricServer.js';
import { mintSeriesId } from '../src/server/ids.js';
import { openSqliteStore } from '../src/server/store/sqlite/openSqliteStore.js';
import { datasets } from './datasets.js';
import { loadInfluxPeer, type InfluxDownsamplePeer } from './influxDownsample.js';

const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WITH_INFLUX = process.env.BENCH_INFLUX !== '0';
const N = DAYS * 86_400;
const COLUMNS = 1600;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number): string => `${x.toFixed(1)} ms`;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'timetric-downsample-'));
const chunks = {
  ...(process.env.BENCH_CHUNK_POINTS ? { chunkPoints: Number(process.env.BENCH_CHUNK_POINTS) } : {}),
  ...(process.env.BENCH_ALIGN !== undefined ? { chunkAlign: process.env.BENCH_ALIGN.split(',').filter(Boolean).map(Number) } : {}),
};
const store = await openSqliteStore(join(dir, 'bench.db'), { chunks });
let influx: InfluxDownsamplePeer | undefined;
try {
  console.log(`downsampled reads over ${DAYS} days at 1 Hz (${N.toLocaleString('en-US')} points), chunks ${JSON.stringify(chunks)}, load average ${load()}`);
  const set = datasets[0]!;
  const points = set.points(N);
  const start = points.times[0]!;
  const end = start + N;

  const user = await store.createUser('bench', 'x');
  const id = mintSeriesId();
  await store.createSeries({ id, ownerId: user.id, public: true, title: 'year', caption: '1 Hz', description: null, tags: [], extra: {} });
  const t0 = performance.now();
  const perWriter = 2_000_000;
  for (let from = 0; from < N; from += perWriter) {
    const writer = await store.openWriter(id, 'merge');
    for (let i = from; i < Math.min(N, from + perWriter); i += 50_000) {
      const batch: Point[] = [];
      for (let k = i; k < Math.min(N, i + 50_000, from + perWriter); k++) batch.push([points.times[k]!, points.values[k]!]);
      await writer.stage(batch);
    }
    await writer.commit();
  }
  await store.compact?.(id);
  const stats = await store.storageStats?.(id);
  const s = stats?.series[0];
  console.log(
    `ours: written and compacted in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${s?.points.toLocaleString('en-US')} points in ${s?.chunks.toLocaleString('en-US')} chunks, ${s?.headPoints} head points, ${((s?.bytes ?? 0) / N).toFixed(2)} B/point`,
  );

  if (WITH_INFLUX) {
    const t1 = performance.now();
    influx = await loadInfluxPeer(points);
    console.log(`influxd: loaded at ${Math.round(influx.ingestPerSecond).toLocaleString('en-US')} points/s, compacted ${influx.compacted} (${((performance.now() - t1) / 1000).toFixed(1)} s)`);
  }

  const server = createTimetricServer({ store });
  const url = await server.listen({ port: 0 });
  const width = (end - start) / COLUMNS;
  const cases: { name: string; spec: DownsampleSpec; query: string; influx: string }[] = [
    {
      name: `M4, ${COLUMNS} columns`,
      spec: { start, end, points: COLUMNS, agg: 'm4' },
      query: `start=${start}&end=${end}&points=${COLUMNS}&agg=m4`,
      influx: `SELECT min(value),max(value),first(value),last(value) FROM m WHERE time >= ${start}s AND time < ${end}s GROUP BY time(${Math.round(width)}s)`,
    },
    {
      name: 'every=3600, mean',
      spec: { start, end, every: 3600, agg: 'mean' },
      query: `start=${start}&end=${end}&every=3600&agg=mean`,
      influx: `SELECT mean(value) FROM m WHERE time >= ${start}s AND time < ${end}s GROUP BY time(1h)`,
    },
  ];
  const figures = cases.map(() => ({ store: [] as number[], cpu: [] as number[], http: [] as number[], influx: [] as number[], lines: 0, influxRows: 0 }));
  for (let run = -1; run < RUNS; run++) {
    for (const [i, c] of cases.entries()) {
      const f = figures[i]!;
      let t = performance.now();
      const cpu = process.cpuUsage();
      let lines = 0;
      for await (const piece of store.downsample!(id, c.spec)) lines += piece.length;
      const storeMs = performance.now() - t;
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      t = performance.now();
      const r = await fetch(`${url}/series/${id}/csv/?${c.query}`);
      const text = await r.text();
      const httpMs = performance.now() - t;
      if (r.headers.get('x-timetric-downsampled') === null) throw new Error('the answer was not downsampled');
      const got = influx ? await influx.time(c.influx) : undefined;
      console.log(`  ${run < 0 ? 'warm-up' : `run ${run + 1}`}, ${c.name}: store ${ms(storeMs)} (CPU ${ms(cpuMs)}), HTTP ${ms(httpMs)}${got ? `, InfluxDB ${ms(got.ms)}` : ''} (load ${load()})`);
      if (run < 0) continue;
      f.store.push(storeMs);
      f.cpu.push(cpuMs);
      f.http.push(httpMs);
      f.lines = text.split('\n').length - 1;
      if (f.lines !== lines) throw new Error(`HTTP gave ${f.lines} lines, the store ${lines}`);
      if (got) {
        f.influx.push(got.ms);
        f.influxRows = got.rows;
      }
    }
  }
  await server.close();
  console.log(`\nmedians of ${RUNS} runs, load average ${load()}`);
  console.log('| read | ours: store (server time) | its CPU time | ours: HTTP | lines | InfluxDB 1.6 | rows | InfluxDB / ours (server) | target |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [i, c] of cases.entries()) {
    const f = figures[i]!;
    const ours = median(f.store);
    const theirs = f.influx.length ? median(f.influx) : undefined;
    console.log(
      `| ${c.name} | ${ms(ours)} | ${ms(median(f.cpu))} | ${ms(median(f.http))} | ${f.lines} | ${theirs === undefined ? '—' : ms(theirs)} | ${theirs === undefined ? '—' : f.influxRows} | ${theirs === undefined ? '—' : `${(theirs / ours).toFixed(2)}×`} | ≤ 150 ms floor, ≤ 30 ms goal: ${ours <= 30 ? 'goal met' : ours <= 150 ? 'floor met' : 'NOT met'} |`,
    );
  }
  console.log(`(all runs, ms: ${cases.map((c, i) => `${c.name}: store ${figures[i]!.store.map((x) => x.toFixed(0)).join('/')}, influx ${figures[i]!.influx.map((x) => x.toFixed(0)).join('/')}`).join('; ')})`);
} finally {
  await influx?.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
