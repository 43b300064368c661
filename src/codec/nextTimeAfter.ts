/**
 * The smallest timestamp after `t`: the next double up. A read from `nextTimeAfter(t)` (the wire's
 * `start` is inclusive) is a read of the points strictly after `t`, and its decimal form
 * (`String()`, shortest round-trip) parses back to exactly that double.
 *
 * @example
 * ```ts
 * import { nextTimeAfter } from 'timetric';
 * nextTimeAfter(1600000000); // 1600000000.0000002
 * ```
 */
export function nextTimeAfter(t: number): number {
  if (!Number.isFinite(t)) return t;
  if (t === 0) return Number.MIN_VALUE;
  const f = new Float64Array([t]);
  const bits = new BigInt64Array(f.buffer);
  // Positive doubles grow with their bit pattern; negative ones shrink toward zero as it falls.
  bits[0] = bits[0]! + (t > 0 ? 1n : -1n);
  return f[0]!;
}
