// Streams benchmark (issue 4), one run prints everything: values$ points/s on a 2,000,000-point
// series and its ratio to raw fetch + papaparse of the same bytes; writeTo acknowledged points/s and
// its ratio to one update(value) request per point (per-point rate measured on a smaller sample);
// the peak RSS (VmHWM) of a child process reading 5,000,000 points with values$; and the HTTP
// requests 1,000 latest$ subscribers cause per poll interval. The server runs in its own process on
// a SQLite file over loopback, so each client's RSS is its own. Medians of RUNS runs.
// Usage: npx tsx bench/streams.ts   (BENCH_POINTS, BENCH_RUNS to change the sizes)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import crossFetch from 'cross-fetch';
import Papa from 'papaparse';
import { count, lastValueFrom, map, range, reduce, take } from 'rxjs';
import { TimetricClient, writeTo } from '../src/index.js';

const KEY = 'crash-key';
const SECRET = 'crash-secret';
const basic = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const client = (url: string, fetchImpl?: (input: string, init?: RequestInit) => Promise<Response>) =>
  new TimetricClient({ authtype: 'apitoken', apitoken_key: KEY, apitoken_secret: SECRET }, fetchImpl ? { baseUrl: url, fetch: fetchImpl } : { baseUrl: url });

// --- child mode: read a series with values$ and report this process's peak RSS ---
if (process.argv[2] === '--reader') {
  const [, , , url, id, pageSize] = process.argv;
  const n = await lastValueFrom(client(url!).series(id!).values({ pageSize: Number(pageSize) }).pipe(count()));
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
  console.log(JSON.stringify({ points: n, vmHwmMb: hwm }));
  process.exit(0);
}

const POINTS = Number(process.env.BENCH_POINTS ?? 2_000_000);
const BIG = 5_000_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PAGE = 50_000;
// The machine is shared: the 1-minute load before and after the runs says how quiet it was.
const load = (): string => loadavg()[0]!.toFixed(2);
const loadBefore = load();
const cpus = availableParallelism();
const dir = mkdtempSync(join(tmpdir(), 'timetric-streams-bench-'));
const server = spawn(process.execPath, ['--import', 'tsx', 'spec/helpers/serveFile.ts', join(dir, 'bench.db')], { stdio: ['ignore', 'pipe', 'inherit'] });
const { url } = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve))) as { url: string };

async function seriesWith(points: number): Promise<string> {
  const s = await client(url).createSeries({ title: `bench ${points}`, caption: 'bench' });
  const id = s.id;
  // Upload in 500,000-point bodies so the generator's string stays small.
  for (let start = 0; start < points; start += 500_000) {
    let csv = '';
    for (let i = start; i < Math.min(points, start + 500_000); i++) csv += `${1_500_000_000 + i * 0.5},${(i % 1000) * 0.25}\n`;
    const r = await crossFetch(`${url}/series/${id}/`, { method: 'POST', headers: { authorization: basic, 'content-type': 'text/csv' }, body: csv });
    if (r.status !== 204) throw new Error(`upload failed: ${r.status} ${await r.text()}`);
  }
  return id;
}

async function rawFetchPapa(id: string): Promise<number> {
  const r = await fetch(`${url}/series/${id}/csv/`, { headers: { authorization: basic } });
  let rest = '';
  let n = 0;
  let sum = 0;
  const decoder = new TextDecoder();
  const parse = (block: string): void => {
    const rows = new Papa.Parser({ delimiter: ',', newline: '\n' }).parse(block, 0, false).data as string[][];
    for (const row of rows) {
      if (row.length !== 2) continue;
      n++;
      sum += +row[0]! + +row[1]!;
    }
  };
  for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const cut = text.lastIndexOf('\n');
    rest = text.slice(cut + 1);
    if (cut >= 0) parse(text.slice(0, cut));
  }
  if (rest) parse(rest);
  if (!Number.isFinite(sum)) throw new Error('bad sum');
  return n;
}

const timed = async (f: () => Promise<number>, expect: number): Promise<number> => {
  const t0 = performance.now();
  const n = await f();
  if (n !== expect) throw new Error(`got ${n} points, expected ${expect}`);
  return n / ((performance.now() - t0) / 1000);
};

try {
  const id = await seriesWith(POINTS);
  const series = client(url).series(id);

  // values$ vs raw fetch + papaparse of the same series, alternating runs.
  const valuesRates: number[] = [];
  const rawRates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    valuesRates.push(await timed(() => lastValueFrom(series.values({ pageSize: PAGE }).pipe(count())), POINTS));
    rawRates.push(await timed(() => rawFetchPapa(id), POINTS));
  }

  // writeTo end to end (acknowledged), into a fresh series each run.
  const writeRates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const target = await client(url).createSeries({ title: 'w', caption: 'w' });
    const t0 = performance.now();
    const acked = await lastValueFrom(
      range(0, POINTS).pipe(
        map((i) => [1_500_000_000 + i, i % 100] as const),
        writeTo(target, { maxBatchPoints: 50_000, maxBatchBytes: 4_000_000, maxBufferPoints: POINTS }),
        reduce((n, r) => n + r.points, 0),
      ),
    );
    if (acked !== POINTS) throw new Error(`writeTo acknowledged ${acked} of ${POINTS}`);
    writeRates.push(POINTS / ((performance.now() - t0) / 1000));
  }
  // One update(value) request per point, sequential, on a 2,000-request sample.
  const SAMPLE = 2_000;
  const perPoint: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const target = await client(url).createSeries({ title: 'p', caption: 'p' });
    const t0 = performance.now();
    for (let i = 0; i < SAMPLE; i++) await lastValueFrom(target.update(i));
    perPoint.push(SAMPLE / ((performance.now() - t0) / 1000));
  }

  // 1,000 latest$ subscribers, in poll mode (requests per 5 s interval) and in the default auto
  // mode, which uses push here (connections; a write arrives as an event, no request per interval).
  const sharing = async (mode: 'poll' | 'auto') => {
    let requests = 0;
    const counting = new TimetricClient(
      { authtype: 'apitoken', apitoken_key: KEY, apitoken_secret: SECRET },
      { baseUrl: url, fetch: (input, init) => (requests++, fetch(input, init)), latest: { mode } },
    );
    const shared = counting.series(id);
    const subs = Array.from({ length: 1000 }, () => shared.latest$.subscribe());
    await lastValueFrom(shared.latest$.pipe(take(1)));
    const first = requests;
    await new Promise((r) => setTimeout(r, 5_500));
    subs.forEach((s) => s.unsubscribe());
    return { first, perInterval: requests - first };
  };
  const polled = await sharing('poll');
  const pushed = await sharing('auto');

  // Peak RSS of a separate reader process on a 5,000,000-point series.
  const bigId = await seriesWith(BIG);
  const reader = spawnSync(process.execPath, ['--import', 'tsx', 'bench/streams.ts', '--reader', url, bigId, String(PAGE)], { encoding: 'utf8' });
  if (reader.status !== 0) throw new Error(`reader failed: ${reader.stderr}`);
  const { points: readBig, vmHwmMb } = JSON.parse(reader.stdout.trim().split('\n').at(-1)!) as { points: number; vmHwmMb: number };
  if (readBig !== BIG) throw new Error(`reader got ${readBig} points`);

  const v = median(valuesRates);
  const raw = median(rawRates);
  const w = median(writeRates);
  const p = median(perPoint);
  console.log(`streams benchmark — ${fmt(POINTS)}-point series over loopback, server in its own process, medians of ${RUNS} runs, load average ${loadBefore} → ${load()} (${cpus} cores)`);
  console.log(`values$ (pageSize ${fmt(PAGE)})           ${fmt(v)} points/s   (target ≥ 1,000,000)   runs: ${valuesRates.map(fmt).join(', ')}`);
  console.log(`raw fetch + papaparse, one response ${fmt(raw)} points/s   values$/raw = ${(v / raw).toFixed(2)} (target ≥ 0.6)`);
  console.log(`writeTo acknowledged (batches 50,000) ${fmt(w)} points/s   (target ≥ 300,000)   runs: ${writeRates.map(fmt).join(', ')}`);
  console.log(`update(value) per point (${fmt(SAMPLE)}-request sample) ${fmt(p)} points/s   writeTo/per-point = ${(w / p).toFixed(0)}× (target ≥ 100×)`);
  console.log(`reader of ${fmt(BIG)} points, peak RSS (VmHWM of its process)  ${vmHwmMb.toFixed(1)} MB (target < 150)`);
  console.log(`1,000 latest$ subscribers, poll mode: ${polled.first} request(s) for the first value, ${polled.perInterval} per 5 s interval (target 1)`);
  console.log(`1,000 latest$ subscribers, auto (push): ${pushed.first} connection(s), ${pushed.perInterval} request(s) per 5 s interval after it`);
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}

