import type { ByteReader } from './ByteReader.js';
import { corruptChunk } from './corruptChunk.js';
import { WORD_ORDER } from './wordOrder.js';

const { hi: HI, lo: LO } = WORD_ORDER;

/**
 * Reads what {@link encodeXor} wrote into `out` (its whole length), writing the 64-bit patterns
 * themselves (no arithmetic on the doubles, so every pattern comes back). Bits missing, a run
 * past the end, a window reused before one was set or wider than 64 bits: `ChunkCodecError`.
 */
export function decodeXor(r: ByteReader, out: Float64Array, what: string): void {
  const n = out.length;
  if (n === 0) return;
  const u = new Uint32Array(out.buffer, out.byteOffset, n * 2);
  r.beginBits();
  let ph = r.bits(32);
  let pl = r.bits(32);
  u[HI] = ph;
  u[LO] = pl;
  let lead = -1;
  let trail = 0;
  let m = 0;
  for (let i = 1; i < n; ) {
    if (r.bitsLeft() <= 0) throw corruptChunk(`truncated ${what} at value ${i}`);
    if (r.bit() === 0) {
      const zeros = Math.clz32(r.peek32());
      if (zeros > 30) throw corruptChunk(`a repeat count of more than 2^31 in ${what}`);
      r.bitPos += zeros;
      const run = r.bits(zeros + 1);
      if (run > n - i) throw corruptChunk(`${run} repeats where ${n - i} values remain in ${what}`);
      for (const end = i + run; i < end; i++) {
        u[2 * i + HI] = ph;
        u[2 * i + LO] = pl;
      }
      continue;
    }
    if (r.bit() === 1) {
      lead = r.bits(5);
      m = r.bits(6) + 1;
      trail = 64 - lead - m;
      if (trail < 0) throw corruptChunk(`a ${m}-bit window after ${lead} leading zeros in ${what}`);
    } else if (lead < 0) throw corruptChunk(`a window reused before any was set in ${what}`);
    let sh = 0;
    let sl: number;
    if (m > 32) {
      sh = r.bits(m - 32);
      sl = r.bits(32);
    } else sl = r.bits(m);
    const t = trail;
    if (t === 0) {
      ph ^= sh;
      pl ^= sl;
    } else if (t < 32) {
      ph ^= (sh << t) | (sl >>> (32 - t));
      pl ^= sl << t;
    } else ph ^= sl << (t - 32);
    u[2 * i + HI] = ph;
    u[2 * i + LO] = pl;
    i++;
  }
  r.endBits(what);
}
