// Server benchmark (issue 2): ingest of a 1,000,000-point text/csv POST, a full CSV read of the same
// series, value/json requests/s with Basic auth at 16 concurrent clients, and the server's peak RSS
// during the upload. The server runs in its own process on a SQLite file; medians of 3 runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import crossFetch from 'cross-fetch';

const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const RUNS = 3;
const dir = mkdtempSync(join(tmpdir(), 'timetric-bench-'));
const child = spawn(process.execPath, ['--import', 'tsx', 'spec/helpers/serveFile.ts', join(dir, 'bench.db')], { stdio: ['ignore', 'pipe', 'inherit'] });
const { url, basic } = JSON.parse(
  await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve)),
) as { url: string; basic: string };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rssMb = (field: 'VmRSS' | 'VmHWM'): number =>
  Number(/(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field))!)![1]) / 1024;

async function create(): Promise<string> {
  const r = await fetch(`${url}/create/`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'title=bench&caption=bench',
    redirect: 'manual',
  });
  return r.headers.get('location')!.split('/').at(-2)!;
}

let csv = '';
for (let i = 0; i < POINTS; i++) csv += `${1_500_000_000 + i * 0.5},${(i % 1000) * 0.25}\n`;
const body = Buffer.from(csv);
csv = '';

const ingest: number[] = [];
const read: number[] = [];
let lastId = '';
const rssBefore = rssMb('VmRSS');
let uploadPeak = 0;
for (let run = 0; run < RUNS; run++) {
  const id = (lastId = await create());
  let t0 = performance.now();
  const r = await fetch(`${url}/series/${id}/`, { method: 'POST', headers: { authorization: basic, 'content-type': 'text/csv' }, body });
  if (r.status !== 204) throw new Error(`upload failed: ${r.status} ${await r.text()}`);
  ingest.push(POINTS / ((performance.now() - t0) / 1000));
  if (run === 0) uploadPeak = rssMb('VmHWM');
  t0 = performance.now();
  const text = await (await fetch(`${url}/series/${id}/csv/`, { headers: { authorization: basic } })).text();
  const lines = text.length ? text.split('\n').length - 1 : 0;
  if (lines !== POINTS) throw new Error(`read ${lines} points, expected ${POINTS}`);
  read.push(POINTS / ((performance.now() - t0) / 1000));
}
const peakRss = rssMb('VmHWM');
// The Python-era clients and the dashboards poll with keep-alive HTTP/1.1 clients: cross-fetch
// (node-fetch) is the client this package ships with.

const REQUESTS = 20_000;
const jsonRates: number[] = [];
for (let run = 0; run < RUNS; run++) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next++ < REQUESTS) {
        const r = await crossFetch(`${url}/series/${lastId}/value/json/`, { headers: { authorization: basic } });
        if (r.status !== 200) throw new Error(`value/json: ${r.status}`);
        await r.arrayBuffer();
      }
    }),
  );
  jsonRates.push(REQUESTS / ((performance.now() - t0) / 1000));
}
child.kill();
rmSync(dir, { recursive: true, force: true });

const row = (name: string, value: string, target: string, note: string) => console.log(`| ${name} | ${value} | ${target} | ${note} |`);
console.log(`\nserver benchmark: ${POINTS.toLocaleString('en')} points, median of ${RUNS} runs, server in its own process (SQLite file, WAL, synchronous=FULL)\n`);
console.log('| measure | median | target | ratio / note |\n|---|---|---|---|');
const m = (xs: number[]) => Math.round(median(xs));
row('ingest, raw text/csv POST', `${m(ingest).toLocaleString('en')} points/s`, '≥ 400,000', `${(median(ingest) / 870_000).toFixed(2)}× the SQLite insert limit (~870k/s); runs ${ingest.map((x) => Math.round(x / 1000)).join(', ')}k`);
row('full CSV read', `${m(read).toLocaleString('en')} points/s`, '≥ 700,000', `${(median(read) / 880_000).toFixed(2)}× the SQLite read+format limit (~0.8–0.96 M/s); runs ${read.map((x) => Math.round(x / 1000)).join(', ')}k`);
row('value/json, Basic auth, 16 concurrent', `${m(jsonRates).toLocaleString('en')} req/s`, '—', `${(median(jsonRates) / 9_800).toFixed(2)}× tiny-request round trips at 16 parallel (~9,800/s)`);
row('server peak RSS during the first upload', `${Math.round(uploadPeak)} MB`, '< 200 MB', `RSS before ${Math.round(rssBefore)} MB (Node + tsx + Fastify); body ${(body.length / 1e6).toFixed(1)} MB; peak over all runs incl. reads ${Math.round(peakRss)} MB`);
