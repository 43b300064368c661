import type { ByteWriter } from './ByteWriter.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { decimalIntegers } from './decimalIntegers.js';
import { encodeDoubles } from './encodeDoubles.js';
import { packIntegers } from './packIntegers.js';

/** Integers of values stay below 2^50 in magnitude, so deltas and their zigzag are exact. */
const LIMIT = 2 ** 50;

/**
 * Writes the numeric values (in order, nothing else). Values that are all exact decimals at one
 * scale k ≤ 15 (12.34, counters, 0.5) go as integers v·10^k: the first, then the deltas, packed
 * (see {@link packIntegers}) and where any -0 was — XOR compression does badly on them (0.01 has no short binary
 * form: a 2-decimal random walk XORs to ~40 bits a value, its deltas pack in ~8). Everything
 * else (random doubles, 17-digit values) uses Gorilla XOR ({@link encodeDoubles}). When the
 * decimal form takes more than 2 bytes a value, XOR is tried as well and the smaller kept.
 */
export function encodeNumbers(out: ByteWriter, numbers: Float64Array): void {
  const n = numbers.length;
  const mark = out.pos;
  const dec = decimalIntegers(numbers, CHUNK_FORMAT.maxValueScale, LIMIT);
  if (dec) {
    const { scale, ints } = dec;
    out.byte((CHUNK_FORMAT.delta << 4) | scale);
    out.svarint(ints[0]!);
    for (let i = n - 1; i > 0; i--) ints[i] = ints[i]! - ints[i - 1]!;
    packIntegers(out, ints, 1, n);
    // Where the -0s were (the integers bring them back as +0), as runs: after the previous run,
    // how many values to skip, and the run's length - 1.
    const isNegativeZero = (i: number): boolean => Object.is(numbers[i], -0);
    let runs = 0;
    for (let i = 0; i < n; i++) if (isNegativeZero(i) && (i === 0 || !isNegativeZero(i - 1))) runs++;
    out.uvarint(runs);
    for (let i = 0, next = 0; runs > 0 && i < n; i++) {
      if (!isNegativeZero(i)) continue;
      let j = i + 1;
      while (j < n && isNegativeZero(j)) j++;
      out.uvarint(i - next);
      out.uvarint(j - i - 1);
      next = j;
      i = j;
    }
    if (out.pos - mark <= 2 * n + 16) return;
  }
  const decimal = dec ? out.bytes.slice(mark, out.pos) : undefined;
  out.pos = mark;
  encodeDoubles(out, numbers);
  if (decimal && decimal.length < out.pos - mark) {
    out.pos = mark;
    out.append(decimal);
  }
}
