// What the chunk codec costs, on the data sets (chunks of 4,096 points, as the stores cut
// them): bytes a point well under each goal (the goals count rows and indexes too), decode above
// 10 M points/s, encode above 3 M points/s, decode + CSV formatting above the 2 M points/s the
// server's full read needs; and the largest chunk allowed, of the worst data (random bit patterns,
// times that are no decimals, alternating kinds), within 100 ms either way (~10–35 ms measured).
// Each figure is the best of 5 runs after a warm-up, timed in this process's CPU time: the machine
// is shared (load 15 on 2 cores seen), and a process waiting for a core is not the codec's cost —
// wall time judged best-of-5 still failed there at a sixteenth of the quiet speed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CHUNK_CODEC_OPTIONS } from '../../src/codec/chunk/chunkCodecOptions.js';
import { decodeChunk } from '../../src/codec/chunk/decodeChunk.js';
import { encodeChunk } from '../../src/codec/chunk/encodeChunk.js';
import { encodeCsvColumns } from '../../src/codec/encodeCsvColumns.js';
import type { PointValue } from '../../src/codec/Point.js';

const POINTS = 262_144;
const CHUNK = 4096;

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The data sets of bench/codec.ts. */
function dataSet(which: 'a' | 'b' | 'c'): { times: Float64Array; values: number[] } {
  const rnd = prng(which.charCodeAt(0));
  const times = new Float64Array(POINTS);
  const values: number[] = [];
  let t = 1_500_000_000.5;
  let cents = 10_000;
  let counter = 0;
  for (let i = 0; i < POINTS; i++) {
    if (which === 'c') {
      // Gaps exponential, mean 1 s, each time cut to 1–6 decimals at random.
      const p = 10 ** (1 + Math.floor(rnd() * 6));
      let next = Math.round((t - Math.log(1 - rnd())) * p) / p;
      while (!(next > t)) next = Math.round((next + 1 / p) * p) / p;
      times[i] = t = i === 0 ? t : next;
    } else times[i] = 1_500_000_000 + i;
    if (which === 'b') values.push((counter += Math.floor(rnd() * 5)));
    else values.push((cents += Math.floor(rnd() * 101) - 50) / 100);
  }
  return { times, values };
}

function chunksOf(set: { times: Float64Array; values: readonly PointValue[] }): { times: Float64Array; values: PointValue[] }[] {
  const parts = [];
  for (let i = 0; i < set.times.length; i += CHUNK) parts.push({ times: set.times.subarray(i, i + CHUNK), values: set.values.slice(i, i + CHUNK) });
  return parts;
}

const perSecond = (points: number, ms: number): number => points / (ms / 1000);

/** CPU time of the fastest of `tries` runs after one to warm up, ms. */
function bestCpuMs(run: () => void, tries = 5): number {
  run();
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

describe('chunk codec cost', () => {
  it('packs the issue data sets well under their goals: (a) ≤ 1, (b) ≤ 0.5, (c) ≤ 4 bytes a point', () => {
    const bound = { a: 1, b: 0.5, c: 4 };
    for (const which of ['a', 'b', 'c'] as const) {
      const bytes = chunksOf(dataSet(which)).reduce((sum, p) => sum + encodeChunk(p.times, p.values).length, 0);
      assert.ok(bytes / POINTS <= bound[which], `(${which}): ${(bytes / POINTS).toFixed(3)} bytes a point`);
    }
  });

  it('decodes above 10 M points/s, encodes above 3 M, and decodes + formats CSV above 2 M (data set a)', () => {
    const parts = chunksOf(dataSet('a'));
    const chunks = parts.map((p) => encodeChunk(p.times, p.values));
    let decoded = 0;
    let csvBytes = 0;
    const encode = bestCpuMs(() => {
      for (const p of parts) encodeChunk(p.times, p.values);
    });
    const decode = bestCpuMs(() => {
      decoded = 0;
      for (const c of chunks) decoded += decodeChunk(c).times.length;
    });
    const csv = bestCpuMs(() => {
      csvBytes = 0;
      for (const c of chunks) {
        const { times, values } = decodeChunk(c);
        csvBytes += encodeCsvColumns(times, values).length;
      }
    });
    const rates = { encode: perSecond(POINTS, encode), decode: perSecond(POINTS, decode), csv: perSecond(POINTS, csv) };
    const text = `encode ${Math.round(rates.encode / 1e3)}k/s, decode ${Math.round(rates.decode / 1e3)}k/s, decode + CSV ${Math.round(rates.csv / 1e3)}k/s`;
    assert.ok(rates.decode > 10e6, text);
    assert.ok(rates.encode > 3e6, text);
    assert.ok(rates.csv > 2e6, text);
    assert.equal(decoded, POINTS);
    assert.ok(csvBytes > POINTS * 16, `${csvBytes} bytes of CSV`);
  });

  it('encodes and decodes the largest chunk allowed, of the worst data, within 100 ms each', () => {
    const n = DEFAULT_CHUNK_CODEC_OPTIONS.maxPoints;
    const view = new DataView(new ArrayBuffer(8));
    const rnd = prng(7);
    const times: number[] = [];
    const values: PointValue[] = [];
    for (let i = 0, t = -1e10; i < n; i++) {
      times.push((t += rnd() * 100 + 1e-3));
      do {
        view.setUint32(0, (rnd() * 2 ** 32) >>> 0);
        view.setUint32(4, (rnd() * 2 ** 32) >>> 0);
      } while (!Number.isFinite(view.getFloat64(0)));
      values.push(i % 2 ? view.getFloat64(0) : i % 4 ? null : true);
    }
    const bytes = encodeChunk(times, values);
    assert.ok(bytes.length < n * 16 + 64, `${bytes.length} bytes: more than 8 bytes a double`);
    let decoded = 0;
    const encode = bestCpuMs(() => void encodeChunk(times, values));
    const decode = bestCpuMs(() => void (decoded = decodeChunk(bytes).values.length));
    assert.equal(decoded, n);
    assert.ok(encode < 100 && decode < 100, `${n} points: encode ${encode.toFixed(1)} ms, decode ${decode.toFixed(1)} ms`);
  });
});
