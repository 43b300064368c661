// The chunk codec gives back every point bit for bit, so the CSV the server writes from decoded
// chunks is byte-identical to the CSV of the points as they went in: edge doubles as values and as
// times, times at every decimal scale, far apart and before 1970, one-point chunks, long runs, and
// mixed null/true/false/numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeChunk } from '../../src/codec/chunk/decodeChunk.js';
import { encodeChunk } from '../../src/codec/chunk/encodeChunk.js';
import { encodeCsvColumns } from '../../src/codec/encodeCsvColumns.js';
import { formatCsv } from '../../src/codec/formatCsv.js';
import type { Point, PointValue } from '../../src/codec/Point.js';

const view = new DataView(new ArrayBuffer(8));
const bitsOf = (x: number): bigint => (view.setFloat64(0, x), view.getBigUint64(0));
const fromBits = (b: bigint): number => (view.setBigUint64(0, b), view.getFloat64(0));
/** The doubles either side of x (Math.nextUp / nextDown by one unit of the bit pattern). */
const neighbours = (x: number): number[] => (x === 0 ? [5e-324, -5e-324] : [fromBits(bitsOf(x) + 1n), fromBits(bitsOf(x) - 1n)]);
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function sameValue(actual: PointValue | undefined, expected: PointValue, where: string): void {
  if (typeof expected === 'number' && typeof actual === 'number' && bitsOf(actual) !== bitsOf(expected)) {
    assert.fail(`${where}: bits ${bitsOf(actual).toString(16)} (${actual}), expected ${bitsOf(expected).toString(16)} (${expected})`);
  }
  if (!Object.is(actual, expected)) assert.fail(`${where}: ${String(actual)} is not ${String(expected)}`);
}

/** Encodes, decodes, compares every bit and the CSV both ways; returns the chunk's size. */
function roundTrip(times: readonly number[], values: readonly PointValue[]): number {
  const bytes = encodeChunk(times, values);
  assert.equal(bytes[0], 1, 'format version byte');
  const back = decodeChunk(bytes);
  assert.ok(back.times instanceof Float64Array);
  assert.equal(back.times.length, times.length);
  assert.equal(back.values.length, values.length);
  times.forEach((t, i) => sameValue(back.times[i], t, `time ${i}`));
  values.forEach((v, i) => sameValue(back.values[i], v, `value ${i}`));
  const points = times.map((t, i): Point => [t, values[i]!]);
  const decoded = Array.from(back.times, (t, i): Point => [t, back.values[i]!]);
  // ISO text only where Date reaches (±8.64e12 s), and not for long chunks (a Date per point is slow).
  const iso = times.length <= 10_000 && times.every((t) => Math.abs(t) <= 8.64e12);
  for (const format of iso ? (['unix', 'iso'] as const) : (['unix'] as const)) {
    assert.equal(text(encodeCsvColumns(back.times, back.values, format)), text(encodeCsvColumns(times, values, format)));
    assert.equal(formatCsv(decoded, format), formatCsv(points, format));
  }
  return bytes.length;
}

const seconds = (n: number, from = 1_500_000_000): number[] => Array.from({ length: n }, (_, i) => from + i);

const EDGES: number[] = [
  0, -0, 5e-324, -5e-324, 2.225073858507201e-308, 2.2250738585072014e-308, -2.2250738585072014e-308, 1e-300, 1e308, -1e308, Number.MAX_VALUE,
  -Number.MAX_VALUE, Number.MIN_VALUE, 0.1, 0.2, 0.1 + 0.2, 1 / 3, -2 / 3, 1e-7, 1e21, 123.456, -0.001, 2 ** 52, 2 ** 53, 2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, Math.PI, Math.E,
  ...[1, -1, 2, 100, -7, 0.5, 1e15, 2 ** 50, 2 ** 53, 1_500_000_000, 1e308, 5e-324].flatMap(neighbours),
];

describe('chunk codec round trip', () => {
  it('keeps edge doubles as values: ±0, subnormals, ±1e308, the doubles next to integers', () => {
    roundTrip(seconds(EDGES.length), EDGES);
    roundTrip(seconds(EDGES.length), [...EDGES].reverse());
    // The same edges mixed into decimal data, which otherwise packs as integers.
    const mixed = seconds(2000).map((_, i) => (i % 97 === 5 ? EDGES[i % EDGES.length]! : Math.round(Math.sin(i) * 1e4) / 100));
    roundTrip(seconds(mixed.length), mixed);
  });

  it('keeps -0 among decimals, scattered and in runs, and still packs them as decimals', () => {
    const values = seconds(4096).map((_, i) => (i % 50 === 0 || (i > 1000 && i < 1100) ? -0 : ((i * 7) % 300) / 100));
    assert.ok(roundTrip(seconds(4096), values) < 4096 * 1.5);
    // -0 that a computation made: Math.round of a small negative.
    const computed = seconds(1000).map((_, i) => Math.round(Math.sin(i) * 1e4) / 100);
    assert.ok(computed.some((v) => Object.is(v, -0)));
    roundTrip(seconds(1000), computed);
  });

  it('keeps edge doubles as times, sorted, with -0 or +0', () => {
    const sorted = [...new Set(EDGES.filter((x) => x !== 0))].sort((a, b) => a - b);
    const withZero = (zero: number): number[] => [...sorted.filter((x) => x < 0), zero, ...sorted.filter((x) => x > 0)];
    for (const times of [withZero(0), withZero(-0), sorted]) roundTrip(times, times.map((_, i) => i));
    roundTrip([-0], [1]);
    roundTrip([-1, -0, 1], [null, true, false]);
  });

  it('keeps times with 1 to 9 decimals, and packs them as decimals', () => {
    for (let d = 1; d <= 9; d++) {
      const step = 10 ** -d;
      // A double near 1.5e9 holds 6 decimals (its unit is 2.4e-7); near 1,000, all 9.
      for (const from of d <= 6 ? [1_500_000_000, 12.5, -1_000] : [12.5, -1_000]) {
        const times = Array.from({ length: 3000 }, (_, i) => Math.round((from + i * step * 7 + (i % 7) * step) * 10 ** d) / 10 ** d);
        const size = roundTrip(times, times.map((_, i) => i % 13));
        assert.ok(size < 3000 * 2, `${d} decimals from ${from}: ${size} bytes`);
      }
      const irregular: number[] = [];
      for (let i = 0, t = 1_600_000_000; i < 2000; i++) irregular.push((t = Math.round((t + 0.3 + ((i * 7919) % 1000) / 997) * 10 ** d) / 10 ** d));
      roundTrip(irregular, irregular.map(() => 1));
    }
    // Mixed scales in one chunk, and 1e-9 apart.
    roundTrip([1.5, 1.25, 1.125, 1.0625, 2, 2.000000001].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
  });

  it('keeps gaps of years and times before 1970', () => {
    const year = 365.25 * 86400;
    roundTrip([0, 50 * year, 100 * year, 3000 * year], [1, 2, 3, 4]);
    roundTrip([-2208988800, -1e9, -86400.5, -0.25, 0, 1.75, 4102444800.123], [1, 2, 3, 4, 5, 6, 7]);
    // Decimals at a scale whose integers span more than 2^51: the span falls back to doubles.
    roundTrip([-3e9 + 0.123456789, 0.5, 3e9 + 0.000000001], [null, null, null]);
    roundTrip([-9.9e10, -5e10, 9.9e10], [1, 2, 3]);
    roundTrip(Array.from({ length: 500 }, (_, i) => -62135596800 + i * 37 * year), Array.from({ length: 500 }, (_, i) => i / 4));
  });

  it('keeps chunks of one point, whatever they hold', () => {
    for (const t of [0, -0, 1_500_000_000, 1_500_000_000.123456, -86400.5, 1e308, -5e-324]) {
      for (const v of [null, true, false, 0, -0, 21.5, Math.PI, 5e-324, -1e308]) {
        const size = roundTrip([t], [v]);
        assert.ok(size <= 24, `[${t}, ${v}] took ${size} bytes`);
      }
    }
  });

  it('takes a handful of bytes for a run of 100,000 equal values of any kind', () => {
    const times = seconds(100_000);
    for (const v of [21.5, 0, -0, Math.PI, 0.1 + 0.2, 1e308, 5e-324, null, true, false]) {
      const size = roundTrip(times, Array<PointValue>(100_000).fill(v));
      assert.ok(size <= 32, `100,000 × ${v} took ${size} bytes`);
    }
    // Irregular times, or times that are not decimals, do not stop values from running cheaply.
    const odd = Array.from({ length: 100_000 }, (_, i) => 1_500_000_000 + i * Math.PI);
    assert.ok(roundTrip(odd, Array<PointValue>(100_000).fill(null)) < 100_000 * 6);
  });

  it('keeps mixed null, true, false and numbers, in runs, alternating and at random', () => {
    const kinds: PointValue[] = [null, true, false, 1.5, -0, Math.PI];
    roundTrip(seconds(6000), seconds(6000).map((_, i) => kinds[i % kinds.length]!));
    roundTrip(seconds(6000), seconds(6000).map((_, i) => kinds[Math.floor(i / 700) % kinds.length]!));
    let seed = 42;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    roundTrip(seconds(6000), seconds(6000).map(() => kinds[Math.floor(rnd() * kinds.length)]!));
    roundTrip(seconds(4), [true, false, null, true]);
    // Alternating kinds cost at most 2 bits a point beside the numbers.
    const alternating = roundTrip(seconds(4096), seconds(4096).map((_, i) => (i % 2 ? null : true)));
    assert.ok(alternating <= 4096 / 4 + 32, `${alternating} bytes`);
  });

  it('decodes all-number chunks to a Float64Array and mixed ones to an array, from a copy of the input', () => {
    const numeric = decodeChunk(encodeChunk([1, 2], [0.5, 7]));
    assert.ok(numeric.values instanceof Float64Array);
    assert.deepEqual(Array.from(numeric.values), [0.5, 7]);
    const bytes = encodeChunk([1, 2], [0.5, null]);
    const mixed = decodeChunk(bytes);
    assert.deepEqual(mixed.values, [0.5, null]);
    bytes.fill(0);
    assert.deepEqual(Array.from(mixed.times), [1, 2]);
    // Buffers (what better-sqlite3 and pg return for BLOB / bytea) decode the same way.
    const copy = Buffer.from(encodeChunk([1, 2, 3], [true, 2.25, -1]));
    assert.deepEqual(decodeChunk(copy).values, [true, 2.25, -1]);
  });

  it('takes plain arrays and typed arrays alike, and leaves its inputs as they were', () => {
    const times = [1, 2, 3];
    const values = [0.5, -0, 9];
    const a = encodeChunk(times, values);
    const b = encodeChunk(Float64Array.from(times), Float64Array.from(values));
    assert.deepEqual(a, b);
    assert.deepEqual(times, [1, 2, 3]);
    assert.ok(Object.is(values[1], -0));
  });
});
