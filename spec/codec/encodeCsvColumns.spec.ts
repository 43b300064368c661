// encodeCsvColumns writes the same bytes as formatCsv (then UTF-8), for every kind of double: the
// fast path's shortest form must equal String(x) exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeCsvColumns } from '../../src/codec/encodeCsvColumns.js';
import { formatCsv } from '../../src/codec/formatCsv.js';
import type { Point, PointValue } from '../../src/codec/Point.js';

const text = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(bytes);
const same = (times: number[], values: PointValue[], format: 'unix' | 'iso' = 'unix'): void => {
  const points = times.map((t, i): Point => [t, values[i]!]);
  assert.equal(text(encodeCsvColumns(times, values, format)), formatCsv(points, format));
};

/** Deterministic doubles of many shapes: short decimals, exponents, 17 digits, raw bit patterns. */
function doubles(n: number): number[] {
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    switch (i % 7) {
      case 0: out.push(rnd() * 1e6); break;
      case 1: out.push(Math.round(rnd() * 1e9) / 10 ** (i % 12)); break;
      case 2: out.push((rnd() - 0.5) * 10 ** ((i % 44) - 22)); break;
      case 3: out.push(1.5e9 + Math.round(rnd() * 1e6) / 1e3); break;
      case 4: out.push(-Math.round(rnd() * 1e12) / 1e4); break;
      case 5: out.push(Math.round(rnd() * 2 ** 53) / 2 ** (i % 8)); break;
      default:
        words[0] = (rnd() * 2 ** 32) >>> 0;
        words[1] = (rnd() * 2 ** 32) >>> 0;
        out.push(bits[0]!);
    }
  }
  return out;
}

describe('encodeCsvColumns', () => {
  it('is formatCsv byte for byte on edge values', () => {
    const edge = [0, -0, 1, -1, 0.1, 0.2, 0.1 + 0.2, 1e-6, -1e-6, 1e-7, 9.999999, 0.000001234, 1e20, 1e21, 2 ** 51 - 1, 2 ** 51, 2 ** 51 + 0.5,
      2 ** 53, 2 ** 53 + 2, 123.456, -0.001, 1500000000.5, 1500000000.123456, 1500000000 + 0.1234567, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE,
      Number.MIN_VALUE, 4503599627370495.5, 1e15 + 0.3, 999999999.999999, 1e9, 1e9 - 1, 1e10 + 1, NaN, Infinity, -Infinity, 0.5, 0.25, 1 / 3];
    same(edge, edge);
    same(edge.map((_, i) => 1_600_000_000 + i), edge);
  });

  it('is formatCsv byte for byte on 300,000 doubles of every shape', () => {
    const xs = doubles(300_000);
    same(xs, [...xs].reverse());
  });

  it('writes null, true and false in lower case, ISO timestamps, and nothing for no points', () => {
    same([1, 2, 3.5, 4], [null, true, false, -2.5]);
    same([0, 1236464846.39, 1236464846.999999, 1236464846 + 0.9999999, -86400.5, 253402300800], [1, null, true, false, 0.5, 2], 'iso');
    assert.equal(encodeCsvColumns([], []).length, 0);
  });

  it('grows its buffer for long lines', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => -Number.MAX_VALUE / (i + 1));
    same(xs, xs);
    same(xs.map((_, i) => 1_236_464_846.39 + i), xs, 'iso');
  });
});
