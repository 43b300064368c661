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
  bits[0] = t;
  // Positive doubles grow with their bit pattern; negative ones shrink toward zero as it falls.
  // The pattern as two 32-bit halves (no BigInt, no allocation: every single-point write calls this).
  if (t > 0) {
    if (halves[LOW] === 0xffffffff) halves[HIGH]!++;
    halves[LOW]!++;
  } else {
    if (halves[LOW] === 0) halves[HIGH]!--;
    halves[LOW]!--;
  }
  return bits[0];
}

const bits = new Float64Array(1);
const halves = new Uint32Array(bits.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW = LITTLE ? 0 : 1;
const HIGH = LITTLE ? 1 : 0;
