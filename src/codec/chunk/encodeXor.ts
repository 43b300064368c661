import type { ByteWriter } from './ByteWriter.js';
import { WORD_ORDER } from './wordOrder.js';

const { hi: HI, lo: LO } = WORD_ORDER;

/** What a new window costs beyond reusing one: 5 + 6 bits. */
const NEW_WINDOW_BITS = 11;

const ctz = (x: number): number => 31 - Math.clz32(x & -x);

/**
 * Writes doubles with Gorilla's XOR compression (Pelkonen et al., VLDB 2015), bit for bit
 * reversible for every pattern: the first as its 64 bits, then each one's XOR with the one
 * before — `'10'` + the meaningful bits when they fit the previous window of leading and
 * trailing zeros, else `'11'` + leading zeros (5 bits, at most 31) + length − 1 (6 bits) + the
 * bits. Two changes to the paper: a window is reused only while it wastes at most the 11 bits
 * a new one would cost (one wide XOR otherwise leaves every later value paying for its width:
 * 6.8 → 6.4 bytes a point on a noisy sensor signal, chunks of 4,096); and a repeat is `'0'`
 * followed by how many repeats in a row (Exp-Golomb: 1 bit for one, 2·log2(n) + 1 for n), so a
 * run of 100,000 equal values takes 5 bytes, not 12.5 KB. Ends at a byte boundary.
 */
export function encodeXor(out: ByteWriter, xs: Float64Array): void {
  const n = xs.length;
  if (n === 0) return;
  const u = new Uint32Array(xs.buffer, xs.byteOffset, n * 2);
  // Per value at most 2 + 5 + 6 + 64 bits; a run at most 1 + 63 bits.
  out.ensure(n * 10 + 16);
  let ph = u[HI]!;
  let pl = u[LO]!;
  out.bits(ph, 32);
  out.bits(pl, 32);
  let lead = -1;
  let trail = 0;
  for (let i = 1; i < n; ) {
    const h = u[2 * i + HI]!;
    const l = u[2 * i + LO]!;
    const xh = h ^ ph;
    const xl = l ^ pl;
    if ((xh | xl) === 0) {
      let j = i + 1;
      while (j < n && u[2 * j + HI] === ph && u[2 * j + LO] === pl) j++;
      const run = j - i;
      const length = 32 - Math.clz32(run);
      out.bits(0, length); // '0' control bit, then length − 1 zeros of the Exp-Golomb prefix
      out.bits(run, length);
      i = j;
      continue;
    }
    const ld = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    const tr = xl !== 0 ? ctz(xl) : 32 + ctz(xh);
    let t = trail;
    let m: number;
    if (lead >= 0 && ld >= lead && tr >= trail && (ld > 31 ? 31 : ld) - lead + tr - trail <= NEW_WINDOW_BITS) {
      out.bits(2, 2);
      m = 64 - lead - trail;
    } else {
      lead = ld > 31 ? 31 : ld;
      trail = t = tr;
      m = 64 - lead - tr;
      out.bits(3, 2);
      out.bits(lead, 5);
      out.bits(m - 1, 6);
    }
    // The XOR shifted right by t, written as m bits.
    let sh: number;
    let sl: number;
    if (t === 0) {
      sh = xh;
      sl = xl;
    } else if (t < 32) {
      sh = xh >>> t;
      sl = (xl >>> t) | (xh << (32 - t));
    } else {
      sh = 0;
      sl = xh >>> (t - 32);
    }
    if (m > 32) {
      out.bits(sh, m - 32);
      out.bits(sl, 32);
    } else out.bits(sl, m);
    ph = h;
    pl = l;
    i++;
  }
  out.align();
}
