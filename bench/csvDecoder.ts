// CSV decode benchmark: CsvPointDecoder (quote-free blocks split by hand) against papaparse
// splitting the same blocks with `+field` conversion (what the decoder did before), on the three
// storage data sets (bench/datasets.ts), fed in 64 KiB pieces as a response body arrives.
// Medians of 5 runs after a warm-up, taken in turn; rates are per second of this process's CPU
// time (process.cpuUsage), so other load on a shared machine inflates them less than wall time.
// Usage: npx tsx bench/csvDecoder.ts   (BENCH_POINTS, default 1,000,000)
import { loadavg } from 'node:os';
import Papa from 'papaparse';
import { CsvPointDecoder } from '../src/codec/CsvPointDecoder.js';
import type { Point } from '../src/codec/Point.js';
import { datasets } from './datasets.js';

const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const PIECE = 64 * 1024;
const RUNS = 5;

/** papaparse on each block of complete lines, fields converted with `+`. */
function papaparse(text: string): number {
  let n = 0;
  let rest = '';
  for (let i = 0; i < text.length; i += PIECE) {
    const t = rest + text.slice(i, i + PIECE);
    const k = t.lastIndexOf('\n');
    rest = t.slice(k + 1);
    const rows = (new Papa.Parser({ delimiter: ',', newline: '\n' }).parse(t.slice(0, k), 0, false) as { data: string[][] }).data;
    const points: Point[] = [];
    for (const r of rows) points.push([+r[0]!, +r[1]!]);
    n += points.length;
  }
  return n;
}

function decoder(text: string): number {
  const d = new CsvPointDecoder();
  let n = 0;
  for (let i = 0; i < text.length; i += PIECE) n += d.push(text.slice(i, i + PIECE)).length;
  return n + d.end().length;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loadAtStart = loadavg().map((x) => x.toFixed(2)).join(' ');
const lines: string[] = [];
for (const set of datasets) {
  const text = set.points(POINTS).csv();
  const rates = { papaparse: [] as number[], decoder: [] as number[] };
  for (let run = 0; run <= RUNS; run++) {
    for (const [name, f] of [['papaparse', papaparse], ['decoder', decoder]] as const) {
      const c0 = process.cpuUsage();
      const n = f(text);
      const c = process.cpuUsage(c0);
      if (n !== POINTS) throw new Error(`${name} read ${n} points of ${POINTS}`);
      if (run > 0) rates[name].push(POINTS / ((c.user + c.system) / 1e6));
    }
  }
  const m = (xs: number[]): string => `${(median(xs) / 1e6).toFixed(2)} M`;
  lines.push(`| (${set.name}) ${set.description} | ${m(rates.papaparse)} | ${m(rates.decoder)} | ${(median(rates.decoder) / median(rates.papaparse)).toFixed(2)}× |`);
}
console.log(`CSV decode, ${POINTS.toLocaleString('en-US')} points a set, points per CPU second, medians of ${RUNS}; load average ${loadAtStart} at start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at end\n`);
console.log('| data set | papaparse + `+field` | CsvPointDecoder | ratio |\n|---|---|---|---|');
for (const line of lines) console.log(line);
