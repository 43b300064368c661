import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextTimeAfter } from '../../src/codec/nextTimeAfter.js';

// The reference: the next double up through the 64-bit pattern as a BigInt. Positive doubles
// grow with their pattern, negative ones (sign bit set) shrink toward zero as it falls.
const view = new DataView(new ArrayBuffer(8));
function reference(t: number): number {
  if (!Number.isFinite(t)) return t;
  if (t === 0) return Number.MIN_VALUE;
  view.setFloat64(0, t);
  const pattern = view.getBigUint64(0);
  view.setBigUint64(0, t > 0 ? pattern + 1n : pattern - 1n);
  return view.getFloat64(0);
}

function fromPattern(high: number, low: number): number {
  view.setUint32(0, high >>> 0);
  view.setUint32(4, low >>> 0);
  return view.getFloat64(0);
}

// mulberry32: the same doubles on every run, so a failure names a reproducible input.
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return (x ^ (x >>> 14)) >>> 0;
  };
}

function same(t: number): void {
  const got = nextTimeAfter(t);
  const want = reference(t);
  assert.ok(Object.is(got, want), `nextTimeAfter(${t}) = ${got}, reference ${want}`);
}

describe('nextTimeAfter', () => {
  it('steps zero and minus zero to the smallest subnormal', () => {
    assert.equal(nextTimeAfter(0), Number.MIN_VALUE);
    assert.equal(nextTimeAfter(-0), Number.MIN_VALUE);
    assert.equal(nextTimeAfter(Number.MIN_VALUE), 2 * Number.MIN_VALUE);
  });

  it('steps through the subnormals and across into the normal doubles', () => {
    const largestSubnormal = fromPattern(0x000fffff, 0xffffffff);
    assert.equal(nextTimeAfter(largestSubnormal), 2 ** -1022);
    assert.equal(nextTimeAfter(2 ** -1022), 2 ** -1022 + Number.MIN_VALUE);
    assert.equal(nextTimeAfter(1e-310), 1e-310 + Number.MIN_VALUE);
    // Upward from a negative subnormal is toward zero; the step after -MIN_VALUE is -0.
    assert.equal(nextTimeAfter(-1e-310), -1e-310 + Number.MIN_VALUE);
    assert.ok(Object.is(nextTimeAfter(-Number.MIN_VALUE), -0));
    assert.equal(nextTimeAfter(-(2 ** -1022)), -largestSubnormal);
  });

  it('steps integers and the doubles beside them by one unit in the last place', () => {
    assert.equal(nextTimeAfter(1), 1 + Number.EPSILON);
    assert.equal(nextTimeAfter(1 - Number.EPSILON / 2), 1);
    assert.equal(nextTimeAfter(-1), -1 + Number.EPSILON / 2);
    assert.equal(nextTimeAfter(-1 - Number.EPSILON), -1);
    assert.equal(nextTimeAfter(2 ** 52), 2 ** 52 + 1);
    assert.equal(nextTimeAfter(2 ** 52 - 0.5), 2 ** 52);
    assert.equal(nextTimeAfter(2 ** 53 - 1), 2 ** 53);
    assert.equal(nextTimeAfter(2 ** 53), 2 ** 53 + 2);
    assert.equal(nextTimeAfter(1600000000), 1600000000.0000002);
    assert.equal(nextTimeAfter(-1600000000), -1599999999.9999998);
  });

  it('carries and borrows between the two 32-bit halves of the pattern', () => {
    // Low half all ones: the step up (positive) carries into the high half.
    assert.equal(nextTimeAfter(fromPattern(0x41d7d784, 0xffffffff)), fromPattern(0x41d7d785, 0));
    // Low half zero: the step up (negative, toward zero) borrows from the high half.
    assert.equal(nextTimeAfter(fromPattern(0xc1d7d785, 0)), fromPattern(0xc1d7d784, 0xffffffff));
    assert.equal(nextTimeAfter(2 ** 32 * Number.MIN_VALUE - Number.MIN_VALUE), 2 ** 32 * Number.MIN_VALUE);
  });

  it('steps the largest doubles: MAX_VALUE to Infinity, -MAX_VALUE toward zero', () => {
    assert.equal(nextTimeAfter(Number.MAX_VALUE), Infinity);
    assert.equal(nextTimeAfter(1.7976931348623155e308), Number.MAX_VALUE);
    assert.equal(nextTimeAfter(-Number.MAX_VALUE), -1.7976931348623155e308);
    same(1e308);
    same(-1e308);
  });

  it('returns NaN and the infinities as they are', () => {
    assert.ok(Number.isNaN(nextTimeAfter(NaN)));
    assert.equal(nextTimeAfter(Infinity), Infinity);
    assert.equal(nextTimeAfter(-Infinity), -Infinity);
  });

  it('equals the BigInt reference over 200,000 seeded random doubles of every exponent and sign', () => {
    const next = seeded(17);
    for (let i = 0; i < 200_000; i++) same(fromPattern(next(), next()));
  });

  it('equals the reference on seeded patterns whose low half is at a carry or borrow', () => {
    const next = seeded(23);
    for (let i = 0; i < 20_000; i++) {
      const high = next();
      same(fromPattern(high, 0xffffffff));
      same(fromPattern(high, 0));
    }
  });

  it('gives a time strictly after t, nothing between, whose decimal form parses back to it', () => {
    const next = seeded(5);
    for (let i = 0; i < 20_000; i++) {
      // Unix times from 1970 to 2100 with sub-second fractions, and their negatives.
      const t = ((next() / 2 ** 32) * 4.1e9 + next() / 2 ** 32) * (i % 2 === 0 ? 1 : -1);
      const after = nextTimeAfter(t);
      assert.ok(after > t, `${after} > ${t}`);
      assert.equal(Number(String(after)), after);
      // Halfway between t and its successor rounds back to one of the two: no double lies between.
      const mid = t / 2 + after / 2;
      assert.ok(mid === t || mid === after, `a double between ${t} and ${after}`);
    }
  });
});
