import type { ByteWriter } from './ByteWriter.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { uvarintLength } from './uvarintLength.js';

const { block: BLOCK, runMin: RUN_MIN, maxWidth: MAX_WIDTH } = CHUNK_FORMAT;
const TWO32 = 2 ** 32;

const bitLength = (x: number): number => (x < TWO32 ? 32 - Math.clz32(x) : 64 - Math.clz32(Math.floor(x / TWO32)));
const svarintLength = (x: number): number => uvarintLength(x >= 0 ? x * 2 : -x * 2 - 1);

/**
 * Writes the integers `xs[from..to)` as groups (see {@link CHUNK_FORMAT}): a run of
 * `runMin` or more equal values is one group of a few bytes whatever its length; other values go
 * in blocks of up to 128, each stored as its minimum plus `w`-bit offsets, w the bit length of
 * the block's range (frame of reference). A block ends early where such a run begins, so a
 * stretch of equal deltas next to one outlier packs the outlier alone.
 *
 * With `out` null nothing is written: the return value, the bytes it would take, lets the
 * encoder compare layouts without writing both. Every value, and every difference of two values
 * in one block, must be an integer of magnitude below 2^52 (the callers bound their inputs so).
 *
 * @returns Bytes written (or that would be).
 */
export function packIntegers(out: ByteWriter | null, xs: Float64Array, from: number, to: number): number {
  let size = 0;
  let i = from;
  while (i < to) {
    const x = xs[i]!;
    let r = i + 1;
    while (r < to && xs[r] === x) r++;
    if (r - i >= RUN_MIN) {
      const header = (r - i - 1) * 2 + 1;
      size += uvarintLength(header) + svarintLength(x);
      if (out) {
        out.uvarint(header);
        out.svarint(x);
      }
      i = r;
      continue;
    }
    // A block: up to BLOCK values, cut before a run of RUN_MIN equal ones (which cannot start at
    // i: that run was taken above).
    const stop = Math.min(to, i + BLOCK);
    let j = i + 1;
    let runStart = i;
    for (; j < stop; j++) {
      if (xs[j] !== xs[j - 1]) runStart = j;
      else if (j - runStart + 1 >= RUN_MIN) {
        j = runStart;
        break;
      }
    }
    let min = x;
    let max = x;
    for (let k = i + 1; k < j; k++) {
      const y = xs[k]!;
      if (y < min) min = y;
      if (y > max) max = y;
    }
    const width = bitLength(max - min);
    if (width > MAX_WIDTH) throw new Error(`packIntegers: a block spans ${width} bits (at most ${MAX_WIDTH})`);
    const count = j - i;
    const header = ((count - 1) * 64 + width) * 2;
    const packed = Math.ceil((count * width) / 8);
    size += uvarintLength(header) + svarintLength(min) + packed;
    if (out) {
      out.uvarint(header);
      out.svarint(min);
      out.ensure(packed + 8);
      if (width > 32) {
        for (let k = i; k < j; k++) {
          const d = xs[k]! - min;
          const hi = Math.floor(d / TWO32);
          out.bits(hi, width - 32);
          out.bits(d - hi * TWO32, 32);
        }
      } else if (width > 0) {
        for (let k = i; k < j; k++) out.bits(xs[k]! - min, width);
      }
      out.align();
    }
    i = j;
  }
  return size;
}
