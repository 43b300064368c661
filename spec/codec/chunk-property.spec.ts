// Seeded property test of the chunk codec: thousands of random chunks of many shapes (regular,
// jittered and random times at every decimal scale and as raw doubles; decimals, counters, random
// bit patterns, repeats, -0, subnormals and the literals as values) come back bit for bit, with
// the same summary and the same CSV bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeChunk } from '../../src/codec/chunk/decodeChunk.js';
import { encodeChunk } from '../../src/codec/chunk/encodeChunk.js';
import { summarizeChunk } from '../../src/codec/chunk/summarizeChunk.js';
import { encodeCsvColumns } from '../../src/codec/encodeCsvColumns.js';
import type { PointValue } from '../../src/codec/Point.js';

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const view = new DataView(new ArrayBuffer(8));
const bitsOf = (x: number): bigint => (view.setFloat64(0, x), view.getBigUint64(0));

function generator(rnd: () => number) {
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  /** Any finite double, from random bits (the exponent never all ones). */
  const anyDouble = (): number => {
    for (;;) {
      view.setUint32(0, (rnd() * 2 ** 32) >>> 0);
      view.setUint32(4, (rnd() * 2 ** 32) >>> 0);
      const x = view.getFloat64(0);
      if (Number.isFinite(x)) return x;
    }
  };
  const decimal = (scale: number, magnitude: number): number => Math.round((rnd() - 0.5) * magnitude * 10 ** scale) / 10 ** scale;

  const times = (n: number): number[] => {
    const shape = int(6);
    const scale = int(13);
    const p = 10 ** scale;
    let t = pick([0, 1_500_000_000, -2_208_988_800, 12.5, -1e-3, decimal(3, 2e10), anyDouble() % 1e11]);
    const out: number[] = [];
    const step = pick([1, 0.001, 60, 1e-6, 3600 * 24 * 365, 0.25]);
    for (let i = 0; i < n; i++) {
      let next: number;
      if (shape === 0) next = t + step; // regular
      else if (shape === 1) next = Math.round((t + step + (rnd() - 0.5) * step * 0.1) * p) / p; // jittered, rounded
      else if (shape === 2) next = Math.round((t - Math.log(1 - rnd()) * step) * 10 ** int(7)) / 10 ** int(7); // irregular, 0–6 decimals
      else if (shape === 3) next = t + rnd() * step * 10; // raw doubles
      else if (shape === 4) next = i % 50 === 49 ? t + step * 1e6 : t + step; // regular with big gaps
      else next = t + Math.abs(anyDouble() % (step * 1000)); // anything
      if (i === 0) next = t;
      if (!(next > (out.at(-1) ?? -Infinity))) next = out.length ? nextUp(out.at(-1)!) : t;
      if (!Number.isFinite(next)) break;
      out.push((t = next));
    }
    return out;
  };

  const values = (n: number): PointValue[] => {
    const shape = int(8);
    const scale = int(17);
    const literals = rnd() < 0.3 ? rnd() * 0.5 : 0;
    let v = decimal(Math.min(scale, 6), 1e6);
    const out: PointValue[] = [];
    for (let i = 0; i < n; i++) {
      if (rnd() < literals) {
        out.push(pick([null, true, false]));
        continue;
      }
      if (shape === 0) v = Math.round((v + decimal(scale, 10)) * 10 ** scale) / 10 ** scale; // random walk at a scale
      else if (shape === 1) v = v + int(5); // counter
      else if (shape === 2) v = anyDouble(); // random bits
      else if (shape === 3) v = rnd() < 0.9 ? v : anyDouble(); // long repeats
      else if (shape === 4) v = pick([0, -0, 5e-324, -5e-324, 1e308, -1e308, Number.MAX_VALUE, 2.2250738585072014e-308, 1, nextUp(1)]);
      else if (shape === 5) v = 20 + Math.sin(i / 50) + (rnd() - 0.5) * 1e-3; // sensor doubles
      else if (shape === 6) v = rnd() < 0.2 ? -0 : decimal(2, 100); // decimals with -0
      else v = Math.fround(rnd() * 100); // float32 values
      out.push(v);
    }
    return out;
  };
  return { int, times, values };
}

function nextUp(x: number): number {
  if (x === 0) return 5e-324;
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + (x > 0 ? 1n : -1n));
  return view.getFloat64(0);
}

describe('chunk codec property', () => {
  it('round-trips 3,000 seeded random chunks bit for bit, with the same summary and CSV', () => {
    const rnd = prng(20261217);
    const gen = generator(rnd);
    let points = 0;
    let bytes = 0;
    for (let c = 0; c < 3000; c++) {
      const n = gen.int(10) === 0 ? 1 + gen.int(5000) : 1 + gen.int(300);
      const times = gen.times(n);
      const values = gen.values(times.length);
      const chunk = encodeChunk(times, values);
      const back = decodeChunk(chunk);
      const where = `chunk ${c} (${times.length} points)`;
      assert.equal(back.times.length, times.length, where);
      for (let i = 0; i < times.length; i++) {
        if (bitsOf(back.times[i]!) !== bitsOf(times[i]!)) assert.fail(`${where}: time ${i} is ${back.times[i]}, was ${times[i]}`);
        const v = values[i]!;
        const w = back.values[i]!;
        if (!Object.is(w, v) || (typeof v === 'number' && bitsOf(w as number) !== bitsOf(v))) assert.fail(`${where}: value ${i} is ${w}, was ${v}`);
      }
      assert.deepEqual(summarizeChunk(back.times, back.values), summarizeChunk(times, values), where);
      assert.deepEqual(encodeCsvColumns(back.times, back.values), encodeCsvColumns(times, values), where);
      points += times.length;
      bytes += chunk.length;
    }
    assert.ok(points > 500_000, `${points} points`);
    // Random bit patterns are a good part of this mix; still, it must not grow past raw doubles.
    assert.ok(bytes < points * 16, `${bytes} bytes for ${points} points`);
  });
});
