// Chunk codec benchmark (storage issue #17), in-process, no server: for each data set of POINTS
// points cut into chunks of CHUNK, the encoded bytes/point, encode and decode points/s, and decode
// + CSV formatting (encodeCsvColumns, as the server's CSV reads do) points/s. One warm-up, then
// medians of RUNS runs. The data sets, seeded so every run sees the same points:
//   (a) 1 Hz timestamps, a random walk with 2 decimals (steps of -0.50 … +0.50, from 100.00)
//   (b) 1 Hz timestamps, an integer counter rising by 0 … 4 a point
//   (c) irregular timestamps (gaps exponential, mean 1 s, each time cut to 1–6 decimals at random),
//       values as (a)
//   (d) extra: 1 Hz timestamps, full doubles (20 + 5·sin + noise): the Gorilla XOR path
//   (e) extra: as (a) with one value in 10 null and runs of true/false: the kinds stream
// Usage: npx tsx bench/codec.ts   (BENCH_POINTS, BENCH_CHUNK, BENCH_RUNS to change the sizes)
import { loadavg } from 'node:os';
import { decodeChunk } from '../src/codec/chunk/decodeChunk.js';
import { encodeChunk } from '../src/codec/chunk/encodeChunk.js';
import { encodeCsvColumns } from '../src/codec/encodeCsvColumns.js';
import type { PointValue } from '../src/codec/Point.js';

const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 4096);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DataSet {
  name: string;
  times: Float64Array;
  values: PointValue[];
}

function dataSet(name: string, seed: number, time: (i: number, prev: number, rnd: () => number) => number, value: (i: number, prev: PointValue, rnd: () => number) => PointValue): DataSet {
  const rnd = prng(seed);
  const times = new Float64Array(POINTS);
  const values: PointValue[] = [];
  let t = 1_500_000_000;
  let v: PointValue = 0;
  for (let i = 0; i < POINTS; i++) {
    times[i] = t = time(i, t, rnd);
    values.push((v = value(i, v, rnd)));
  }
  return { name, times, values };
}

const regular = (i: number): number => 1_500_000_000 + i;
let cents = 10_000;
const walk = (i: number, _: PointValue, rnd: () => number): number => {
  if (i === 0) cents = 10_000;
  cents += Math.floor(rnd() * 101) - 50;
  return cents / 100;
};
const sets: DataSet[] = [
  dataSet('(a) 1 Hz, random walk, 2 decimals', 1, regular, walk),
  dataSet('(b) 1 Hz, integer counter', 2, regular, (i, prev, rnd) => (i === 0 ? 0 : (prev as number) + Math.floor(rnd() * 5))),
  dataSet(
    '(c) irregular times, 1–6 decimals',
    3,
    (i, prev, rnd) => {
      if (i === 0) return 1_500_000_000.5;
      const p = 10 ** (1 + Math.floor(rnd() * 6));
      let t = Math.round((prev - Math.log(1 - rnd())) * p) / p;
      while (!(t > prev)) t = Math.round((t + 1 / p) * p) / p;
      return t;
    },
    walk,
  ),
  dataSet('(d) extra: full doubles (Gorilla)', 4, regular, (i, _, rnd) => 20 + 5 * Math.sin(i / 600) + (rnd() - 0.5) * 0.2),
  dataSet('(e) extra: (a) with null/true/false', 5, regular, (i, prev, rnd) => {
    const w = walk(i, prev, rnd);
    return i % 10 === 3 ? null : (i >> 12) % 8 === 7 ? (i >> 5) % 2 === 0 : w;
  }),
];

/** Points/s of a task: median over the runs by wall time, and by this process's CPU time. */
interface Rate {
  wall: number;
  cpu: number;
}

interface Row {
  name: string;
  bytesPerPoint: number;
  encode: Rate;
  decode: Rate;
  decodeCsv: Rate;
  csvBytesPerPoint: number;
}

function measure(set: DataSet, chunk: number, runs: number): Row {
  const parts: { times: Float64Array; values: PointValue[] }[] = [];
  for (let i = 0; i < POINTS; i += chunk) parts.push({ times: set.times.subarray(i, i + chunk), values: set.values.slice(i, i + chunk) });
  const encodeAll = (): Uint8Array[] => parts.map((p) => encodeChunk(p.times, p.values));
  const chunks = encodeAll();
  const bytes = chunks.reduce((s, c) => s + c.length, 0);
  // Every chunk must come back as it went in before its speed means anything.
  chunks.forEach((c, k) => {
    const { times, values } = decodeChunk(c);
    const p = parts[k]!;
    for (let i = 0; i < p.times.length; i++) {
      if (!Object.is(times[i], p.times[i]) || !Object.is(values[i], p.values[i])) throw new Error(`${set.name}: chunk ${k} point ${i} differs`);
    }
  });
  const rate = (task: () => void): Rate => {
    task();
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      task();
      const c = process.cpuUsage(c0);
      wall.push(POINTS / ((performance.now() - t0) / 1000));
      cpu.push(POINTS / ((c.user + c.system) / 1e6));
    }
    return { wall: median(wall), cpu: median(cpu) };
  };
  let sink = 0;
  let csvBytes = 0;
  const encode = rate(() => {
    sink += encodeAll().length;
  });
  const decode = rate(() => {
    for (const c of chunks) sink += decodeChunk(c).times.length;
  });
  const decodeCsv = rate(() => {
    csvBytes = 0;
    for (const c of chunks) {
      const { times, values } = decodeChunk(c);
      csvBytes += encodeCsvColumns(times, values).length;
    }
  });
  if (sink < 0) console.log(sink);
  return { name: set.name, bytesPerPoint: bytes / POINTS, encode, decode, decodeCsv, csvBytesPerPoint: csvBytes / POINTS };
}

console.log(`\nchunk codec: ${fmt(POINTS)} points a data set, chunks of ${fmt(CHUNK)}, medians of ${RUNS} runs after a warm-up, in-process (load ${loadavg()[0]!.toFixed(2)})\n`);
console.log('| data set | bytes/point | encode points/s | decode points/s | decode + CSV points/s | CSV bytes/point |\n|---|---|---|---|---|---|');
const rows = sets.map((set) => measure(set, CHUNK, RUNS));
for (const r of rows) {
  console.log(`| ${r.name} | ${r.bytesPerPoint.toFixed(3)} | ${fmt(r.encode.wall)} | ${fmt(r.decode.wall)} | ${fmt(r.decodeCsv.wall)} | ${r.csvBytesPerPoint.toFixed(1)} |`);
}
// On a shared machine wall time also counts waiting for a core; CPU time is the codec's own cost.
console.log('\nthe same, by CPU time of this process (what the work costs, whatever the load)\n');
console.log('| data set | encode points/s | decode points/s | decode + CSV points/s |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${fmt(r.encode.cpu)} | ${fmt(r.decode.cpu)} | ${fmt(r.decodeCsv.cpu)} |`);

// Chunk size: bytes/point only (what a chunk's header and its first value cost, against how far
// a store must decode to reach one point).
const sizes = [256, 1024, 4096, 16384];
console.log(`\nbytes/point by chunk size\n\n| data set | ${sizes.map(fmt).join(' | ')} |\n|---|${sizes.map(() => '---|').join('')}`);
for (const set of sets) {
  const cells = sizes.map((size) => {
    let bytes = 0;
    for (let i = 0; i < POINTS; i += size) bytes += encodeChunk(set.times.subarray(i, i + size), set.values.slice(i, i + size)).length;
    return (bytes / POINTS).toFixed(3);
  });
  console.log(`| ${set.name} | ${cells.join(' | ')} |`);
}
console.log(`\n(load after: ${loadavg()[0]!.toFixed(2)})`);
