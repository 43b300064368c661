import type { ByteWriter } from './ByteWriter.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { decimalIntegers } from './decimalIntegers.js';
import { encodeDoubles } from './encodeDoubles.js';
import { packIntegers } from './packIntegers.js';
import { uvarintLength } from './uvarintLength.js';

/** Integers of times stay below 2^52 in magnitude and span less than 2^51, so that every delta,
 * delta of deltas and zigzag of them is an exact double. */
const LIMIT = 2 ** 52;
const SPAN = 2 ** 51;

/**
 * Writes strictly increasing times. When every t is an exact decimal at one scale k ≤ 9 (see
 * {@link decimalIntegers}), as integers t·10^k: the first, then the deltas or the deltas of
 * deltas, whichever packs smaller — with frame-of-reference blocks (see {@link packIntegers})
 * regular times cost nearly nothing either way (a run of equal deltas is one group), and deltas
 * usually win (jitter of ±j costs log2(2j) bits as deltas, log2(4j) as deltas of deltas); the
 * deltas of deltas win on steadily drifting intervals. Otherwise (more digits, a -0, a span too
 * wide for one scale) the doubles themselves ({@link encodeDoubles}).
 */
export function encodeTimes(out: ByteWriter, times: Float64Array): void {
  const n = times.length;
  // Only one time can be zero; -0 would come back as +0 from integers.
  let negativeZero = false;
  for (let i = 0; i < n && times[i]! <= 0; i++) if (Object.is(times[i], -0)) negativeZero = true;
  const dec = negativeZero ? undefined : decimalIntegers(times, CHUNK_FORMAT.maxTimeScale, LIMIT);
  if (!dec || dec.ints[n - 1]! - dec.ints[0]! >= SPAN) {
    encodeDoubles(out, times);
    return;
  }
  const { scale, ints } = dec;
  const first = ints[0]!;
  for (let i = n - 1; i > 0; i--) ints[i] = ints[i]! - ints[i - 1]!;
  const deltaSize = packIntegers(null, ints, 1, n);
  // Below a byte per 64 points there is nothing left worth a second layout.
  if (n > 2 && deltaSize > n / 64 + 8) {
    const dods = ints.slice();
    for (let i = n - 1; i > 1; i--) dods[i] = dods[i]! - dods[i - 1]!;
    if (uvarintLength(ints[1]!) + packIntegers(null, dods, 2, n) < deltaSize) {
      out.byte((CHUNK_FORMAT.deltaOfDelta << 4) | scale);
      out.svarint(first);
      out.uvarint(ints[1]!);
      packIntegers(out, dods, 2, n);
      return;
    }
  }
  out.byte((CHUNK_FORMAT.delta << 4) | scale);
  out.svarint(first);
  packIntegers(out, ints, 1, n);
}
