import { POW10 } from './POW10.js';

/**
 * The smallest scale k ≤ `maxScale` at which every x is an integer m over 10^k that reads back
 * as x itself — checked per point, `m / 10^k === x`, the correctly rounded quotient of two exact
 * doubles, which is what the decoder computes — with |m| < `limit`, and those integers
 * (`xs[i] === ints[i] / 10 ** scale`); undefined when there is none
 * (a value with more digits, one too large). Hazard: a -0 passes, as the integer 0, and comes
 * back as +0 (integers add up to +0): callers that keep -0 note where it was. Linear: k only grows while scanning, and a
 * value exact at k is exact at every larger k (the same real number, m·10 stays exact below the
 * limit); the second pass verifies every point again anyway.
 */
export function decimalIntegers(xs: Float64Array, maxScale: number, limit: number): { scale: number; ints: Float64Array } | undefined {
  const n = xs.length;
  let k = 0;
  let p = 1;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    while (Math.round(x * p) / p !== x) {
      if (++k > maxScale) return undefined;
      p = POW10[k]!;
    }
    if (!(Math.abs(x) * p < limit)) return undefined;
  }
  const ints = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const m = Math.round(x * p);
    if (m / p !== x || !(Math.abs(m) < limit)) return undefined;
    ints[i] = m;
  }
  return { scale: k, ints };
}
